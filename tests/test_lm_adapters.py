"""Adapters: catkit's model, Hugging Face models (built from a config, and from a local directory),
callables; the hidden state after the final norm, the unembedding matrix, heads with a bias, bad heads."""

from __future__ import annotations

import json
import warnings

import pytest
import torch
from torch import nn

from catkit.lm import (
    CallableAdapter,
    GPTConfig,
    HeadBiasWarning,
    HeadNotFoundError,
    HFAdapter,
    LMError,
    LMKernel,
    TinyGPT,
    as_adapter,
    evaluate,
    save_checkpoint,
    source_statistics,
    torch_threads,
)
from catkit.sources import ContextSet, tiny_source

transformers = pytest.importorskip("transformers")
from transformers import GPT2Config, GPT2LMHeadModel, GPT2Model  # noqa: E402


@pytest.fixture(autouse=True)
def _one_thread():
    with torch_threads(1):
        yield


def gpt2(vocab=4, bias=False, seed=0):
    torch.manual_seed(seed)
    cfg = GPT2Config(vocab_size=vocab, n_positions=12, n_embd=16, n_layer=2, n_head=2, tie_word_embeddings=not bias,
                     bos_token_id=vocab - 1, eos_token_id=vocab - 1)
    m = GPT2LMHeadModel(cfg)
    if bias:
        m.lm_head = nn.Linear(16, vocab, bias=True)
        nn.init.normal_(m.lm_head.bias, std=1.0)
    return m.eval()


def test_hf_hidden_state_is_after_the_final_norm_and_logits_are_W_h():
    hf = gpt2(vocab=4)  # tokens a, b, c and a BOS = 3
    a = HFAdapter(hf, bos_token_id=3, vocab_size=3)
    assert a.max_context == 11 and a.W.shape == (3, 16) and a.bias is None
    ctx = torch.tensor([[0, 2, 1], [1, 1, 0]])
    h, z = a.last(ctx)
    with torch.no_grad():
        out = hf(input_ids=a.prepare(ctx), output_hidden_states=True)
        pre = hf.transformer.h[-1](hf.transformer.drop(hf.transformer.wte(a.prepare(ctx)) + hf.transformer.wpe.weight[:4]))
    assert torch.allclose(h, out.hidden_states[-1][:, -1], atol=1e-6)  # HF's last hidden state includes ln_f
    assert not torch.allclose(h, (pre[0] if isinstance(pre, tuple) else pre)[:, -1], atol=1e-3)  # before ln_f: different
    assert torch.allclose(z, out.logits[:, -1, :3], atol=1e-5)
    assert torch.allclose(z, h @ a.W.T, atol=1e-5)


def test_lmkernel_on_a_hf_model_matches_its_softmax():
    hf = gpt2(vocab=4)
    lk = LMKernel(hf, 3, source=tiny_source(), bos_token_id=3, vocab_size=3)
    C = lk.contexts
    gen = lk.generation.matrix
    for i in (0, 5, len(C) - 1):
        ids = torch.tensor([[3, *C[i]]])
        with torch.no_grad():
            want = torch.softmax(hf(input_ids=ids).logits[0, -1, :3].double(), -1)
        assert torch.allclose(gen[i], want, atol=1e-6)
    assert (lk.encoder >> lk.head).allclose(lk.generation, tol=0.0)


def test_hf_head_with_a_bias_is_reported_and_used():
    hf = gpt2(vocab=3, bias=True)
    with pytest.warns(HeadBiasWarning, match="has a bias"):
        a = as_adapter(hf)
    assert a.bias is not None and "WITH a bias" in a.describe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HeadBiasWarning)
        lk = LMKernel(hf, ContextSet.all(3, 2, min_length=1))
    with torch.no_grad():
        want = torch.softmax(hf(input_ids=torch.tensor([[2, 1]])).logits[0, -1].double(), -1)
    assert torch.allclose(lk.generation.matrix[lk.contexts.index("cb")], want, atol=1e-6)
    h = lk.hidden_table
    assert torch.allclose(lk.head.matrix, torch.softmax(h @ lk.W.T + lk.bias, -1), atol=1e-12)


def test_hf_without_bos_refuses_the_empty_context_and_long_contexts():
    a = as_adapter(gpt2(vocab=3))
    assert a.bos_token_id is None and a.max_context == 12
    with pytest.raises(LMError, match="no BOS token"):
        LMKernel(a, ContextSet.all(3, 1))
    lk = LMKernel(a, 2)  # an int starts at length 1 without BOS
    assert min(len(c) for c in lk.contexts) == 1
    with pytest.raises(LMError, match="contexts of 13 tokens are longer"):
        LMKernel(a, ContextSet([(0,) * 13], 3))


def test_heads_that_are_not_linear_or_missing_are_refused():
    class Scaled(GPT2LMHeadModel):  # e.g. logit soft-capping: softmax(W h) is not this model's head
        def forward(self, *args, **kwargs):
            out = super().forward(*args, **kwargs)
            out.logits = 2 * out.logits
            return out

    torch.manual_seed(0)
    cfg = GPT2Config(vocab_size=3, n_positions=8, n_embd=8, n_layer=1, n_head=2, bos_token_id=2, eos_token_id=2)
    with pytest.raises(HeadNotFoundError, match="not W h"):
        as_adapter(Scaled(cfg))
    with pytest.raises(HeadNotFoundError, match="cannot find the unembedding head of GPT2Model"):
        as_adapter(GPT2Model(cfg))
    with pytest.raises(HeadNotFoundError, match="cannot adapt"):
        as_adapter(3.5)


def test_hf_local_directory_loads_offline(tmp_path):
    hf = gpt2(vocab=4)
    hf.save_pretrained(tmp_path)
    a = as_adapter(str(tmp_path), bos_token_id=3, vocab_size=3)
    b = HFAdapter(hf, bos_token_id=3, vocab_size=3)
    ctx = torch.tensor([[0, 1, 2]])
    assert torch.allclose(a.last(ctx)[1], b.last(ctx)[1], atol=1e-6)
    with pytest.raises(LMError, match="neither a catkit checkpoint"):
        as_adapter(tmp_path / "missing")


def test_catkit_checkpoint_directory_and_options():
    m = TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2), seed=2)
    import tempfile

    d = tempfile.mkdtemp()
    save_checkpoint(d, m, step=0)
    a = as_adapter(d)
    assert torch.equal(a.W, m.W)
    with pytest.raises(LMError, match="takes no adapter options"):
        as_adapter(m, bos_token_id=1)
    with pytest.raises(LMError, match="cannot be applied to an existing adapter"):
        as_adapter(a, vocab_size=2)


# ---------------------------------------------------------------------------------------------- callables
def toy(bias=None, logprobs=False, last_only=False, seed=0):
    g = torch.Generator().manual_seed(seed)
    E, W, R = torch.randn(4, 12, generator=g), torch.randn(3, 12, generator=g), torch.randn(12, 12, generator=g)
    ln = nn.LayerNorm(12)

    def fn(ids):
        h = ln(torch.tanh(E[ids].cumsum(1) @ R)).detach()
        z = h @ W.T + (bias if bias is not None else 0.0)
        if logprobs:
            z = torch.log_softmax(z, -1)
        return (h[:, -1], z[:, -1]) if last_only else (h, z)

    return fn, W


def test_callable_head_is_recovered_bias_free():
    fn, W = toy()
    a = CallableAdapter(fn, bos_token_id=3)  # hidden states of a LayerNorm: [h, 1] is rank-deficient
    assert a.bias is None and a.vocab_size == 3 and a.d_model == 12
    # LayerNorm outputs (γ = 1, β = 0) sum to 0, so W is identified on that hyperplane only: the minimum-norm
    # solution is W with each row's mean removed, and it acts on every hidden state exactly as W does
    assert torch.allclose(a.W.float(), W - W.mean(1, keepdim=True), atol=1e-4)
    assert not torch.allclose(a.W.float(), W, atol=1e-2)
    lk = LMKernel(a, 2, source=tiny_source())
    with torch.no_grad():
        want = torch.softmax(fn(torch.tensor([[3, 1, 2]]))[1][0, -1].double(), -1)
    assert torch.allclose(lk.generation.matrix[lk.contexts.index("bc")], want, atol=1e-5)


def test_callable_with_a_bias_and_bad_callables():
    b = torch.tensor([0.5, -1.0, 2.0])
    fn, W = toy(bias=b)
    with pytest.warns(HeadBiasWarning):
        a = CallableAdapter(fn)
    assert torch.allclose(a.bias.float() - a.bias.float().mean(), b - b.mean(), atol=1e-3)
    lp, _ = toy(logprobs=True)
    with pytest.raises(HeadNotFoundError, match="not a linear function"):
        CallableAdapter(lp)
    with pytest.raises(HeadNotFoundError, match="must return \\(hidden, logits\\)"):
        CallableAdapter(lambda ids: ids)
    good, W = toy()
    with pytest.raises(HeadNotFoundError, match="expected \\(V, d\\) = \\(3, 12\\)"):
        CallableAdapter(good, W=torch.zeros(2, 12))
    with pytest.raises(HeadNotFoundError, match="not W h"):
        CallableAdapter(good, W=torch.zeros(3, 12))
    assert torch.equal(CallableAdapter(good, W=W).W, W)


def test_last_position_callable_works_for_kernels_not_for_per_position_losses():
    fn, W = toy(last_only=True)
    a = CallableAdapter(fn, bos_token_id=3, W=W)
    assert LMKernel(a, 2, source=tiny_source()).generation.dom.size == 13
    with pytest.raises(LMError, match="returns only the last position"):
        evaluate(a, tiny_source(), n_seqs=4, seq_len=4)


# ---------------------------------------------------------------------------------------------- TinyGPT → Hugging Face
def test_tinygpt_exports_to_a_hugging_face_directory(tmp_path):
    from transformers import AutoModelForCausalLM

    m = TinyGPT(GPTConfig(vocab_size=3, n_positions=8, d_model=16, n_layer=2, n_head=2, d_mlp=24), seed=5)
    with torch.no_grad():  # train-like weights: LayerNorm and biases away from their initial values
        for p in m.parameters():
            p.add_(0.1 * torch.randn(p.shape, generator=torch.Generator().manual_seed(p.numel())))
    m.save_hf(tmp_path / "hf")
    hf = AutoModelForCausalLM.from_pretrained(str(tmp_path / "hf"), local_files_only=True)
    ids = torch.tensor([[3, 0, 2, 1, 1, 0, 2], [3, 2, 2, 2, 0, 1, 0]])
    with torch.no_grad():
        assert torch.allclose(hf(ids).logits[..., :3], m(ids), atol=1e-5)
        assert not torch.allclose(hf(ids).logits[..., :3], TinyGPT(m.config, seed=6)(ids), atol=1e-2)  # control
    a = as_adapter(tmp_path / "hf")  # the exported config brings the vocabulary and the BOS along
    assert (a.vocab_size, a.bos_token_id, a.max_context) == (3, 3, 7)
    mine, theirs = LMKernel(m, 3, source=tiny_source()), LMKernel(a, 3, source=tiny_source())
    assert theirs.generation.allclose(mine.generation, tol=1e-6)


# ---------------------------------------------------------------------------------------------- TransformerLens
def hooked(vocab=4, bias=False, seed=0):
    tl = pytest.importorskip("transformer_lens")
    torch.manual_seed(seed)
    cfg = tl.HookedTransformerConfig(n_layers=2, d_model=16, n_ctx=10, d_head=8, n_heads=2, d_vocab=vocab, act_fn="gelu",
                                     normalization_type="LN", seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # TransformerLens 3 announces TransformerBridge
        model = tl.HookedTransformer(cfg)
    with torch.no_grad():
        for p in model.parameters():  # away from the initial LayerNorm scales and zero biases
            p.add_(0.05 * torch.randn(p.shape))
        if not bias:
            model.b_U.zero_()
    return model.eval()


def test_transformer_lens_hidden_state_head_and_kernel():
    from catkit.lm import TransformerLensAdapter

    model = hooked(vocab=4)
    a = as_adapter(model, bos_token_id=3, vocab_size=3)
    assert isinstance(a, TransformerLensAdapter) and a.bias is None and a.max_context == 9 and a.W.shape == (3, 16)
    ctx = torch.tensor([[0, 2, 1], [1, 1, 0]])
    h, z = a.last(ctx)
    with torch.no_grad():
        logits, cache = model.run_with_cache(a.prepare(ctx))
    after_norm = cache["ln_final.hook_normalized"] * model.ln_final.w + model.ln_final.b      # ln_final's output
    assert torch.allclose(h, after_norm[:, -1], atol=1e-5)
    assert not torch.allclose(h, cache["blocks.1.hook_resid_post"][:, -1], atol=1e-3)      # control: before it
    assert torch.allclose(z, logits[:, -1, :3], atol=1e-5) and torch.allclose(z, h @ a.W.T, atol=1e-5)
    lk = LMKernel(model, 2, source=tiny_source(), bos_token_id=3, vocab_size=3)
    i = lk.contexts.index("ca")
    with torch.no_grad():
        want = torch.softmax(model(torch.tensor([[3, 2, 0]]))[0, -1, :3].double(), -1)
    assert torch.allclose(lk.generation.matrix[i], want, atol=1e-6)


def test_transformer_lens_nonzero_unembedding_bias_is_reported():
    model = hooked(vocab=3, bias=True)
    with pytest.warns(HeadBiasWarning, match="nonzero b_U"):
        a = as_adapter(model)
    assert torch.allclose(a.bias, model.b_U.detach()) and "WITH a bias" in a.describe()
    with pytest.raises(LMError, match="vocab_size=5"):
        as_adapter(hooked(vocab=3), vocab_size=5)


# ---------------------------------------------------------------------------------------------- compatibility
def test_load_checked_explains_what_to_pass(tmp_path):
    from catkit.lm import IncompatibleModelError, load_checked
    from catkit.sources import default_source

    hf = gpt2(vocab=4)  # 3 real tokens and a BOS = 3
    with pytest.raises(IncompatibleModelError, match=r"predicts 4 tokens but the source 'tiny' has 3; pass vocab_size=3 \(--vocab-size 3\)"):
        load_checked(hf, tiny_source(), 2)
    with pytest.raises(IncompatibleModelError, match="predicts 3 tokens but the source 'default' has 4; a model with fewer outputs"):
        load_checked(gpt2(vocab=3), default_source(), 2)
    a = load_checked(hf, tiny_source(), 2, bos_token_id=3, vocab_size=3)
    assert (a.vocab_size, a.bos_token_id) == (3, 3)
    with pytest.raises(IncompatibleModelError, match="fails on a probe batch with {'bos_token_id': 7, 'vocab_size': 3}: index out of range"):
        load_checked(hf, tiny_source(), 2, bos_token_id=7, vocab_size=3)
    with pytest.raises(IncompatibleModelError, match="contexts of 12 tokens are longer"):
        load_checked(hf, tiny_source(), 12, bos_token_id=3, vocab_size=3)
    m = TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2))
    save_checkpoint(tmp_path / "ck", m, step=0)
    with pytest.raises(IncompatibleModelError, match=r"catkit model with bos_token_id=3; drop bos_token_id= \(--bos-token-id\)"):
        load_checked(tmp_path / "ck", tiny_source(), 2, bos_token_id=0)
    assert load_checked(tmp_path / "ck", tiny_source(), 2, vocab_size=3).vocab_size == 3   # agreeing options are fine


# ---------------------------------------------------------------------------------------------- catkit report --model
class _Stop(Exception):
    pass


@pytest.fixture
def seen_config(monkeypatch):
    """Replace run_report by a recorder: main()'s parsing and checks run for real, the report itself does not."""
    from catkit.paper import report

    seen = []

    def fake(cfg, out, **kwargs):
        seen.append((cfg, kwargs["modes"]))
        raise _Stop

    monkeypatch.setattr(report, "run_report", fake)
    return seen


def test_report_checks_a_hugging_face_model_before_the_exact_mode(tmp_path, capsys, seen_config):
    from catkit.paper.report import main

    gpt2(vocab=4).save_pretrained(tmp_path / "hf")  # the tiny source's 3 tokens and a BOS = 3
    out = tmp_path / "out"
    assert main(["--scale", "tiny", "--model", str(tmp_path / "hf"), "--out", str(out), "--quiet"]) == 2
    assert "pass vocab_size=3 (--vocab-size 3)" in capsys.readouterr().err
    assert not seen_config and not (out / "results.json").exists()  # refused before anything ran
    with pytest.raises(_Stop):
        main(["--scale", "tiny", "--model", str(tmp_path / "hf"), "--bos-token-id", "3", "--vocab-size", "3", "--out", str(out)])
    cfg, modes = seen_config[-1]
    assert cfg.model_options == {"bos_token_id": 3, "vocab_size": 3} and modes == ("exact", "lm")
    assert "BOS=3" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        main(["--scale", "tiny", "--vocab-size", "3"])
    assert e.value.code == 2 and "describe a --model" in capsys.readouterr().err


def test_report_reads_the_source_stored_in_a_catkit_checkpoint(tmp_path, capsys, seen_config):
    from catkit.lm.trainer import TrainConfig, train
    from catkit.paper.report import main
    from catkit.sources import HMM

    binary = HMM([["3/4", "1/4"], ["1/4", "3/4"]], [["3/4", "1/4"], ["1/4", "3/4"]], name="binary")
    m = TinyGPT(GPTConfig(vocab_size=2, n_positions=8, d_model=8, n_layer=1, n_head=2))
    train(m, binary, TrainConfig(steps=1, batch_size=2, seq_len=4), checkpoint_dir=tmp_path / "ck", progress=False)
    with pytest.raises(_Stop):
        main(["--scale", "tiny", "--model", str(tmp_path / "ck"), "--out", str(tmp_path / "r"), "--quiet"])
    cfg, _ = seen_config[-1]
    assert cfg.source.name == "binary" and cfg.source.spec() == binary.spec() and cfg.model_config.vocab_size == 2
    # asking for another source is said, and a vocabulary that does not fit is refused before the exact mode
    assert main(["--scale", "tiny", "--model", str(tmp_path / "ck"), "--source", "tiny", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "trained on source 'binary'; it is evaluated on 'tiny'" in err and "predicts 2 tokens but the source 'tiny' has 3" in err
    with pytest.raises(_Stop):  # the exact mode alone does not need the model to fit
        main(["--scale", "tiny", "--model", str(tmp_path / "ck"), "--source", "tiny", "--exact-only", "--quiet"])
    assert seen_config[-1][0].source.name == "tiny" and seen_config[-1][1] == ("exact",)


# ---------------------------------------------------------------------------------------------- catkit lm evaluate / stats --model
def _lm_argv(command, model, out):
    extra = {"evaluate": ["--n-seqs", "8"], "stats": ["--length", "3", "--out", str(out)]}[command]
    return ["lm", command, "--model", str(model), "--source", "tiny", *extra]


@pytest.fixture
def lm_runs(monkeypatch):
    """Record the computations of `catkit lm evaluate` and `catkit lm stats` (they still run, on the model they get)."""
    from catkit.lm import stats, trainer

    seen = []

    def recorder(name, run):
        def record(model, *args, **kwargs):
            seen.append((name, model))
            return run(model, *args, **kwargs)

        return record

    for module, name in ((trainer, "evaluate"), (stats, "source_statistics")):
        monkeypatch.setattr(module, name, recorder(name, getattr(module, name)))
    return seen


@pytest.mark.parametrize("command", ["evaluate", "stats"])
def test_lm_commands_take_the_hugging_face_flags(command, tmp_path, capsys, lm_runs):
    from catkit.cli import main
    from catkit.sources import tiny_source

    gpt2(vocab=4).save_pretrained(tmp_path / "hf")  # the tiny source's 3 tokens and a BOS = 3: 4 outputs for 3 tokens
    capsys.readouterr()  # (transformers' progress bar while saving)
    out = tmp_path / "stats.json"
    argv = _lm_argv(command, tmp_path / "hf", out)
    # without the flags: refused in one line that names them, before anything is computed
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if line.strip()] == [
        "catkit lm: error: Hugging Face GPT2LMHeadModel predicts 4 tokens but the source 'tiny' has 3; pass vocab_size=3 (--vocab-size 3) "
        "to keep the model's first 3 outputs, and bos_token_id (--bos-token-id) if one of the others is its BOS token"]
    assert not lm_runs and not out.exists()
    # with them: the model's first 3 outputs, BOS 3 prepended
    assert main([*argv, "--bos-token-id", "3", "--vocab-size", "3"]) == 0
    (name, model), = lm_runs
    assert name == {"evaluate": "evaluate", "stats": "source_statistics"}[command]
    assert (model.vocab_size, model.bos_token_id) == (3, 3)
    if command == "evaluate":
        assert '"gap"' in capsys.readouterr().out
    else:
        got = json.loads(out.read_text())
        ref = source_statistics(as_adapter(str(tmp_path / "hf"), bos_token_id=3, vocab_size=3), tiny_source(), 3)
        assert got["count"] == 27 and abs(got["ce"] - ref.ce) < 1e-12
        capsys.readouterr()  # (transformers' progress bar while loading the reference)
    # a BOS the model does not have, and contexts longer than its positions: refused before computing, one line each
    for flags, needle in ((["--bos-token-id", "9", "--vocab-size", "3"], "fails on a probe batch"),
                          (["--vocab-size", "3"] + (["--bos-token-id", "3", "--length", "12"] if command == "stats" else ["--source", "default"]),
                           "longer than" if command == "stats" else "predicts 3 tokens but the source 'default' has 4")):
        assert main([*argv, *flags]) == 2
        err = capsys.readouterr().err
        assert needle in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert len(lm_runs) == 1


@pytest.mark.parametrize("command", ["evaluate", "stats"])
def test_lm_commands_refuse_the_flags_where_they_mean_nothing(command, tmp_path, capsys, lm_runs):
    from catkit.cli import main

    out = tmp_path / "stats.json"
    extra = ["--length", "3", "--out", str(out)] if command == "stats" else []
    for flags in (["--vocab-size", "3"], ["--bos-token-id", "3"]):  # without --model
        assert main(["lm", command, "--source", "tiny", *extra, *flags]) == 2
        err = capsys.readouterr().err
        assert "required: --model" in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert main(["lm", command, "--model", "x", "--vocab-size", "0", *extra]) == 2  # a usage error, before loading anything
    assert "--vocab-size: must be >= 1, got 0" in capsys.readouterr().err
    m = TinyGPT(GPTConfig(vocab_size=3, n_positions=8, d_model=8, n_layer=1, n_head=2))
    save_checkpoint(tmp_path / "ck", m, step=0)  # a catkit model knows its own: a contradiction is refused, agreement is fine
    assert main(_lm_argv(command, tmp_path / "ck", out) + ["--bos-token-id", "0"]) == 2
    assert "catkit model with bos_token_id=3; drop bos_token_id= (--bos-token-id)" in capsys.readouterr().err
    assert not lm_runs and not out.exists()
    assert main(_lm_argv(command, tmp_path / "ck", out) + ["--bos-token-id", "3", "--vocab-size", "3"]) == 0
    assert len(lm_runs) == 1


def test_the_flags_are_one_helper_for_every_command():
    from catkit.lm.cli import build_parser

    p = build_parser()
    for argv in (["evaluate", "--model", "d"], ["stats", "--model", "d", "--length", "2", "--out", "s.json"]):
        args = p.parse_args([*argv, "--bos-token-id", "5", "--vocab-size", "4"])
        assert (args.bos_token_id, args.vocab_size) == (5, 4)
    args = p.parse_args(["train", "--steps", "1"])
    assert not hasattr(args, "bos_token_id")  # train loads no --model


def test_load_lm_refuses_options_a_catkit_model_would_ignore(tmp_path):
    from catkit.lm.errors import IncompatibleModelError
    from catkit.lm.loading import load_lm

    m = TinyGPT(GPTConfig(vocab_size=3, n_positions=8, d_model=8, n_layer=1, n_head=2))
    save_checkpoint(tmp_path / "ck", m, step=0)
    with pytest.raises(IncompatibleModelError, match="catkit model with bos_token_id=3, vocab_size=3; drop bos_token_id="):
        load_lm(tmp_path / "ck", "cpu", bos_token_id=0, vocab_size=2)
    agreed = load_lm(tmp_path / "ck", "cpu", bos_token_id=3, vocab_size=3)  # what it knows of itself is fine
    assert (agreed.bos_token_id, agreed.vocab_size) == (3, 3)


def test_load_lm_reports_a_bad_bos_as_a_catkit_error_and_load_checked_takes_no_device(tmp_path):
    from catkit.lm.compat import load_checked
    from catkit.lm.errors import IncompatibleModelError
    from catkit.lm.loading import load_lm

    GPT2LMHeadModel(GPT2Config(vocab_size=4, n_positions=8, n_embd=8, n_layer=1, n_head=2)).save_pretrained(tmp_path / "hf")
    with pytest.raises(IncompatibleModelError, match=r"fails on a probe batch with \{'bos_token_id': 99\}"):
        load_lm(tmp_path / "hf", "cpu", bos_token_id=99)  # was the embedding's bare IndexError
    a = load_checked(tmp_path / "hf", tiny_source(), 2, device=None, vocab_size=3)  # None: where the model is
    assert (a.vocab_size, str(a.device)) == (3, "cpu")
