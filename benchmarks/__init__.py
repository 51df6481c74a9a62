"""catkit's benchmarks: speed as ratios against named baselines measured in the same run."""
