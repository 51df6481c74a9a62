"""The one registry of presets: the LM command line, the ready-made models and the report's scales all read it."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch

from catkit.lm import LMError, TinyGPT, TrainConfig
from catkit.lm import presets as presets_mod
from catkit.lm.cli import build_parser
from catkit.lm.defaults import DEFAULT_MODEL, TINY_MODEL, TINY_TRAIN, cache_key, preset_model
from catkit.lm.loading import load_lm
from catkit.lm.presets import PRESETS, Preset, get_preset
from catkit.paper.report import ReportConfig
from catkit.sources import SOURCES, default_source, tiny_source


def test_every_preset_names_an_embedded_source_and_fits_its_vocabulary():
    assert set(PRESETS) == {"default", "tiny"} and get_preset("small") is PRESETS["default"]
    for name, p in PRESETS.items():
        assert p.name == name and p.source in SOURCES
        assert p.model_config.vocab_size == p.make_source().V
    assert (DEFAULT_MODEL, TINY_MODEL, TINY_TRAIN) == (PRESETS["default"].model_config, PRESETS["tiny"].model_config,
                                                       PRESETS["tiny"].train_config)
    with pytest.raises(LMError, match="unknown preset 'huge'"):
        get_preset("huge")
    with pytest.raises(LMError, match="no embedded source"):
        Preset("x", "large", TINY_MODEL, TINY_TRAIN)


def test_the_command_line_offers_exactly_the_registry():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    train = sub.choices["train"]  # type: ignore[index]
    assert tuple(next(a for a in train._actions if a.dest == "preset").choices) == tuple(PRESETS)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["train", "--preset", "huge"])


def test_the_report_and_the_ready_made_models_read_the_registry(monkeypatch, tmp_path):
    for scale, name in (("small", "default"), ("large", "default"), ("tiny", "tiny")):
        assert ReportConfig.preset(scale).model_config == PRESETS[name].model_config
    assert ReportConfig.preset("small").train_config == PRESETS["default"].train_config
    assert ReportConfig.preset("tiny").train_config == replace(TINY_TRAIN, steps=120)  # the report's own shorter run
    with pytest.raises(LMError, match=cache_key(TINY_MODEL, TINY_TRAIN, tiny_source())):
        preset_model("tiny", cache_dir=tmp_path, train_if_missing=False)
    # the control: change the registry and every reader follows
    quick = TrainConfig(steps=2, batch_size=2, seq_len=4)
    monkeypatch.setitem(PRESETS, "tiny", replace(PRESETS["tiny"], model_config=replace(TINY_MODEL, d_model=8), train_config=quick))
    assert ReportConfig.preset("tiny").model_config.d_model == 8 and presets_mod.get_preset("tiny").train_config == quick
    monkeypatch.setenv("CATKIT_CACHE_DIR", str(tmp_path))
    m = load_lm("tiny", "cpu")
    assert isinstance(m, TinyGPT) and m.config.d_model == 8
    assert (tmp_path / "lm" / cache_key(replace(TINY_MODEL, d_model=8), quick, tiny_source())).is_dir()
    assert torch.equal(load_lm("tiny", "cpu").W, m.W)  # cached: the same weights, not a second run
    assert ReportConfig.preset("small", source=tiny_source()).model_config.vocab_size == 3 != default_source().V
