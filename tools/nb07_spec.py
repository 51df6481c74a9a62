CELLS = [
("md", """
# A Bayesian network lecture in three nodes

Rain and a garden sprinkler both make the grass wet. This notebook builds that network from its tables and asks
it questions by name: an exact posterior, a d-separation (and how observing the wet grass breaks it), and the
picture of the network as a string diagram that evaluates to its joint law. Everything is exact: the tables are
fractions, and so are the answers. See the docs page *Bayesian networks and d-separation*.
"""),
("code", """
import matplotlib
matplotlib.use("Agg")
import networkx as nx
from catkit import Kernel, Wire
from catkit.structure import BayesNet, conditional, d_separated, d_separations

yes_no = Wire(["yes", "no"])
dag = nx.DiGraph([("rain", "wet"), ("sprinkler", "wet")])
bn = BayesNet(dag, {
    "rain": Kernel.state(["1/5", "4/5"], yes_no),             # P(rain)
    "sprinkler": Kernel.state(["1/2", "1/2"], yes_no),        # P(sprinkler)
    "wet": Kernel([[1, 0], ["9/10", "1/10"], ["4/5", "1/5"], [0, 1]], yes_no @ yes_no, yes_no),  # P(wet | rain, sprinkler)
})
print(bn.tables["wet"])
"""),
("md", """
## The picture

`bn.diagram()` is the network as a string diagram: one box per node, read from bottom to top as "draw rain,
draw the sprinkler, copy both (they are needed twice: as outputs and as inputs of `wet`), then draw wet".
A diagram shows itself as a picture; `d.draw("network.svg")` saves one for slides.
"""),
("code", """
d = bn.diagram()
d
"""),
("md", """
## An exact posterior

Before looking at the grass, rain has probability 1/5. Having seen wet grass:
"""),
("code", """
print("P(rain)              =", bn.query("rain")["yes"])
print("P(rain | wet = yes)  =", bn.query("rain", evidence={"wet": "yes"})["yes"])
"""),
("md", """
The same number by Bayes' rule, by hand, from the joint law of all three nodes. The joint's wires are named
after the nodes, so marginals and conditionals take names:
"""),
("code", """
joint = bn.joint()
print(joint.cod)
p_wet = joint.marginal("wet")["yes"]
p_rain_wet = joint.marginal("rain", "wet")["yes", "yes"]
print("P(rain, wet) / P(wet) =", p_rain_wet / p_wet)
print(conditional(joint.marginal("wet", "rain"), on="wet"))   # P(rain | wet), both rows
"""),
("md", """
## d-separation, and explaining away

Rain and the sprinkler are d-separated by nothing: independent a priori. `wet` is a *collider* (both arrows
point into it): once it is observed, rain and sprinkler become dependent. Learning that the sprinkler was on
*explains away* the wet grass, and rain becomes less likely again. The graph criterion and the exact tables
agree:
"""),
("code", """
print("d-separated given {}:   ", d_separated(dag, "rain", "sprinkler", []), "  independent:", bn.independent("rain", "sprinkler"))
print("d-separated given {wet}:", d_separated(dag, "rain", "sprinkler", ["wet"]), " independent:",
      bn.independent("rain", "sprinkler", given=["wet"]))
print("P(rain | wet = yes, sprinkler = yes) =", bn.query("rain", evidence={"wet": "yes", "sprinkler": "yes"})["yes"])
print("every d-separation of the graph:", d_separations(dag))
"""),
("md", """
## The diagram is the joint

`bn.functor()` sends each box to its table. Evaluating the diagram (one tensor contraction, `catkit.semantics`)
gives exactly the joint law; keeping only `rain` discards the other wires (the picture shows the discards).
"""),
("code", """
F = bn.functor()
print(F(d) == bn.joint(), F(bn.diagram(["rain"])) == bn.query("rain"))
bn.diagram(["rain"])
"""),
("md", """
## A larger network

Queries never build the joint of the whole network: they keep only the tables the answer depends on (ancestors
of the targets and the evidence, minus what the evidence cuts off) and contract them in a good order. A random
network of 40 binary nodes (its joint would have 2^40 entries) answers at once, exactly:
"""),
("code", """
import numpy as np
from catkit.structure import random_bayes_net
big = random_bayes_net(np.random.default_rng(0), 40, edge_prob=0.08)
print(big.query([39, 38], evidence={0: 1, 20: 0}))
"""),
]
