"""Checkpoints of catkit's own model, in formats that hold data and never code.

A checkpoint is a directory with two files:

* ``checkpoint.json``: the format tag, the model config, the step reached, the training config, the
  source's spec, the loss history, the optimiser's hyper-parameters, and the SHA-256 of the weights file;
* ``weights-<digest>.safetensors``: every tensor (model weights, optimiser moments, torch's RNG state).

Neither format can run code when read (a pickled ``checkpoint.pt`` could: :mod:`pickle` executes what it
loads).  The weights are written first under a fresh name, then ``checkpoint.json`` is replaced atomically
(a per-process temporary file, then a rename): a reader sees the old checkpoint or the new one, never a
mix, and a file changed on disk afterwards fails its checksum (:class:`CheckpointError`).

Older catkit versions wrote a pickled ``checkpoint.pt``; it is refused with a message.  To keep a
checkpoint you trust, convert it once with :func:`convert_legacy_checkpoint` (``catkit lm convert DIR``).

>>> import tempfile, torch
>>> from catkit.lm import GPTConfig, TinyGPT
>>> m = TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2))
>>> d = tempfile.mkdtemp()
>>> _ = save_checkpoint(d, m, step=0)
>>> bool(torch.equal(load_model(d).W, m.W))
True
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path
from typing import Any

import torch

from catkit.lm.errors import CheckpointError, LMError
from catkit.lm.model import GPTConfig, TinyGPT

__all__ = [
    "save_checkpoint",
    "load_checkpoint",
    "load_model",
    "model_from_state",
    "is_catkit_checkpoint",
    "convert_legacy_checkpoint",
    "atomic_write_bytes",
    "CHECKPOINT_FILE",
    "LEGACY_FILE",
]

CHECKPOINT_FILE = "checkpoint.json"
LEGACY_FILE = "checkpoint.pt"
_FORMAT = "catkit-lm-checkpoint/2"
_LEGACY_FORMAT = "catkit-lm-checkpoint/1"
_MAX_JSON = 64 * 2**20  # a checkpoint.json beyond this is not one of ours




def is_catkit_checkpoint(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a directory holding a catkit checkpoint (current or legacy format).

    >>> is_catkit_checkpoint("/nonexistent")
    False
    """
    p = Path(path)
    return (p / CHECKPOINT_FILE).is_file() or (p / LEGACY_FILE).is_file()


def _tmp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically: a temporary file private to this process (and call), flushed
    to disk, then renamed over ``target``; concurrent writers never see each other's half-written files.

    >>> import tempfile
    >>> p = atomic_write_bytes(Path(tempfile.mkdtemp()) / "x.json", b"{}")
    >>> p.read_bytes()
    b'{}'
    """
    target = Path(target)
    tmp = _tmp_name(target)
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return target


def _jsonable(x: Any) -> Any:
    if isinstance(x, tuple):
        return list(x)
    return x


def _split_optimizer(sd: dict[str, Any]) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    """An optimiser state dict as tensors (for safetensors) and JSON (hyper-parameters, non-tensor state)."""
    tensors: dict[str, torch.Tensor] = {}
    scalars: dict[str, dict[str, Any]] = {}
    for pid, st in sd["state"].items():
        for name, v in st.items():
            if isinstance(v, torch.Tensor):
                tensors[f"optimizer.{pid}.{name}"] = v.detach().to("cpu").clone().contiguous()
            else:
                scalars.setdefault(str(pid), {})[name] = v
    groups = [{k: _jsonable(v) for k, v in g.items()} for g in sd["param_groups"]]
    return tensors, {"param_groups": groups, "scalars": scalars, "params": sorted(int(p) for p in sd["state"])}


def _join_optimizer(meta: dict[str, Any], tensors: dict[str, torch.Tensor]) -> dict[str, Any]:
    state: dict[int, dict[str, Any]] = {int(p): dict(v) for p, v in meta.get("scalars", {}).items()}
    for key, t in tensors.items():
        if key.startswith("optimizer."):
            _, pid, name = key.split(".", 2)
            state.setdefault(int(pid), {})[name] = t
    groups = [{k: (tuple(v) if isinstance(v, list) and k != "params" else v) for k, v in g.items()} for g in meta["param_groups"]]
    return {"state": state, "param_groups": groups}


def save_checkpoint(
    directory: str | os.PathLike[str], model: TinyGPT, *, step: int, optimizer: torch.optim.Optimizer | None = None,
    train_config: dict[str, Any] | None = None, source_spec: dict[str, Any] | None = None,
    history: list[tuple[int, float]] | None = None, done: bool = False,
) -> Path:
    """Write the checkpoint into ``directory`` (see the module docstring); returns the path of ``checkpoint.json``.

    >>> import tempfile
    >>> from catkit.lm import GPTConfig, TinyGPT
    >>> p = save_checkpoint(tempfile.mkdtemp(), TinyGPT(GPTConfig(vocab_size=2, d_model=8, n_head=2)), step=3)
    >>> p.name, load_checkpoint(p.parent)["step"]
    ('checkpoint.json', 3)
    """
    from safetensors.torch import save

    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    tensors = {f"model.{k}": v.detach().to("cpu").clone().contiguous() for k, v in model.state_dict().items()}
    opt_meta = None
    if optimizer is not None:
        opt_tensors, opt_meta = _split_optimizer(optimizer.state_dict())
        tensors.update(opt_tensors)
    tensors["rng.torch"] = torch.get_rng_state()
    blob = save(tensors)
    digest = hashlib.sha256(blob).hexdigest()
    weights = d / f"weights-{digest[:16]}.safetensors"
    atomic_write_bytes(weights, blob)  # even when the name exists: a damaged file of that name is replaced
    meta = {
        "format": _FORMAT,
        "model_config": model.config.to_dict(),
        "step": int(step),
        "train_config": train_config,
        "source": source_spec,
        "history": [[int(s), float(v)] for s, v in (history or [])],
        "done": bool(done),
        "optimizer": opt_meta,
        "weights": weights.name,
        "sha256": digest,
    }
    atomic_write_bytes(d / CHECKPOINT_FILE, json.dumps(meta).encode())
    for old in d.glob("weights-*.safetensors"):  # the files of earlier checkpoints
        if old.name != weights.name:
            try:
                old.unlink()
            except OSError:  # pragma: no cover - another process removed it first
                pass
    return d / CHECKPOINT_FILE


def _brief(e: BaseException) -> str:
    """A library's (possibly multi-line) message as one short line."""
    return " ".join(str(e).split())[:300]


def _legacy_message(path: Path) -> str:
    return (
        f"{path} is a pickled checkpoint of an older catkit; it is not loaded, because reading a pickle can run "
        f"arbitrary code. If you trust this file, convert it once with: catkit lm convert {path.parent} "
        "(catkit.lm.checkpoint.convert_legacy_checkpoint), which writes checkpoint.json and a .safetensors file"
    )


def _read_meta(directory: Path) -> dict[str, Any]:
    path = directory / CHECKPOINT_FILE
    if not path.is_file():
        if (directory / LEGACY_FILE).is_file():
            raise CheckpointError(_legacy_message(directory / LEGACY_FILE))
        raise CheckpointError(f"no catkit checkpoint at {directory} (expected {path})")
    try:
        if path.stat().st_size > _MAX_JSON:
            raise CheckpointError(f"{path} is larger than {_MAX_JSON // 2**20} MiB: not a catkit checkpoint")
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as e:
        raise CheckpointError(f"cannot read the checkpoint {path}: {type(e).__name__}: {str(e)[:200]}") from None
    if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
        raise CheckpointError(f"{path} is not a catkit LM checkpoint (format {str(meta.get('format') if isinstance(meta, dict) else None)[:60]!r})")
    for key, typ in (("model_config", dict), ("step", int), ("history", list), ("weights", str), ("sha256", str)):
        if not isinstance(meta.get(key), typ):
            raise CheckpointError(f"{path} is damaged: its field {key!r} is missing or not a {typ.__name__}")
    w = meta["weights"]
    if "/" in w or "\\" in w or w.startswith(".") or not w.endswith(".safetensors"):
        raise CheckpointError(f"{path} names an unexpected weights file {w[:80]!r}")
    return meta


def load_checkpoint(directory: str | os.PathLike[str], map_location: Any = "cpu") -> dict[str, Any]:
    """The checkpoint written by :func:`save_checkpoint`, checksum verified: a dict with ``model`` (the state
    dict), ``optimizer`` (a state dict or ``None``), ``torch_rng`` and the JSON fields.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "checkpoint.pt").write_bytes(b"pickled payload")
    >>> load_checkpoint(d)
    Traceback (most recent call last):
    ...
    catkit.lm.errors.CheckpointError: .../checkpoint.pt is a pickled checkpoint of an older catkit; it is not loaded, ...
    """
    from safetensors import SafetensorError
    from safetensors.torch import load

    d = Path(directory)
    for attempt in range(3):  # a concurrent writer may replace the weights between our two reads
        meta = _read_meta(d)
        wpath = d / meta["weights"]
        try:
            blob = wpath.read_bytes()
            break
        except FileNotFoundError:
            if attempt == 2:
                raise CheckpointError(f"the checkpoint {d} is incomplete: {wpath.name} is missing") from None
        except OSError as e:
            raise CheckpointError(f"the checkpoint {d} is incomplete: cannot read {wpath.name} ({type(e).__name__})") from None
    if hashlib.sha256(blob).hexdigest() != meta["sha256"]:
        raise CheckpointError(f"the checkpoint {d} is corrupt: {wpath.name} does not match the SHA-256 recorded in {CHECKPOINT_FILE}")
    try:
        tensors = load(blob)
    except (SafetensorError, ValueError, RuntimeError) as e:
        raise CheckpointError(f"cannot read the weights {wpath}: {str(e)[:200]}") from None
    dev = torch.device(map_location) if map_location is not None else torch.device("cpu")
    state = dict(meta)
    state["model"] = {k[len("model."):]: t.to(dev) for k, t in tensors.items() if k.startswith("model.")}
    state["optimizer"] = None
    if meta.get("optimizer") is not None:
        state["optimizer"] = _join_optimizer(meta["optimizer"], {k: t.to(dev) if not k.endswith(".step") else t
                                                                  for k, t in tensors.items() if k.startswith("optimizer.")})
    state["torch_rng"] = tensors.get("rng.torch")
    state["history"] = [(int(s), float(v)) for s, v in meta["history"]]
    return state


def load_model(directory: str | os.PathLike[str], *, device: Any = "cpu") -> TinyGPT:
    """The :class:`TinyGPT` saved in a checkpoint directory, on ``device``, in eval mode.

    A config that disagrees with the weights (e.g. an edited ``checkpoint.json``) is a :class:`CheckpointError`.

    >>> load_model("/nonexistent")
    Traceback (most recent call last):
    ...
    catkit.lm.errors.CheckpointError: no catkit checkpoint at /nonexistent (expected /nonexistent/checkpoint.json)
    """
    return model_from_state(load_checkpoint(directory), device=device, where=directory)


def model_from_state(state: dict[str, Any], *, device: Any = "cpu", where: Any = "") -> TinyGPT:
    """The :class:`TinyGPT` of a dict returned by :func:`load_checkpoint`, on ``device``, in eval mode.

    >>> model_from_state({"model_config": {"vocab_size": 2, "d_model": 8, "n_head": 2}, "model": {}}, where="x")
    Traceback (most recent call last):
    ...
    catkit.lm.errors.CheckpointError: the checkpoint x has a model config that does not match its weights: ...
    """
    try:
        model = TinyGPT(GPTConfig.from_dict(state["model_config"]), seed=None)
        model.load_state_dict(state["model"])
    except (LMError, TypeError, ValueError, RuntimeError, KeyError) as e:
        raise CheckpointError(f"the checkpoint {where} has a model config that does not match its weights: {_brief(e)}") from None
    return model.to(device).eval()


def convert_legacy_checkpoint(directory: str | os.PathLike[str]) -> Path:
    """Convert an older catkit's pickled ``checkpoint.pt`` in ``directory`` to the current format, in place
    (the ``.pt`` file is kept; delete it once the conversion is checked).  Run it only on a file you trust.

    The pickle is read with ``torch.load(weights_only=True)``, torch's restricted unpickler, which accepts
    tensors and plain containers only; a file that needs more is refused rather than executed.

    >>> import tempfile, torch
    >>> from catkit.lm import GPTConfig, TinyGPT
    >>> m = TinyGPT(GPTConfig(vocab_size=2, d_model=8, n_head=2))
    >>> d = Path(tempfile.mkdtemp())
    >>> torch.save({"format": "catkit-lm-checkpoint/1", "model_config": m.config.to_dict(), "model": m.state_dict(),
    ...             "optimizer": None, "step": 5, "train_config": None, "source": None, "history": [], "done": False}, d / "checkpoint.pt")
    >>> convert_legacy_checkpoint(d).name, load_checkpoint(d)["step"], bool(torch.equal(load_model(d).W, m.W))
    ('checkpoint.json', 5, True)
    """
    d = Path(directory)
    src = d / LEGACY_FILE
    if not src.is_file():
        raise CheckpointError(f"no legacy checkpoint at {src}")
    try:
        state = torch.load(src, map_location="cpu", weights_only=True)
    except Exception as e:  # the restricted unpickler refused something, or the file is damaged
        raise CheckpointError(f"cannot convert {src} safely (torch.load(weights_only=True) refused it): {str(e)[:300]}") from None
    if not isinstance(state, dict) or state.get("format") != _LEGACY_FORMAT:
        raise CheckpointError(f"{src} is not an older catkit LM checkpoint")
    try:
        model = TinyGPT(GPTConfig.from_dict(state["model_config"]), seed=None)
        model.load_state_dict(state["model"])
    except (LMError, TypeError, ValueError, RuntimeError, KeyError) as e:
        raise CheckpointError(f"{src} has a model config that does not match its weights: {_brief(e)}") from None
    opt = None
    if state.get("optimizer") is not None:
        opt = torch.optim.AdamW(model.parameters())
        opt.load_state_dict(state["optimizer"])
    rng = state.get("torch_rng")
    before = torch.get_rng_state()
    try:
        if isinstance(rng, torch.Tensor):
            torch.set_rng_state(rng)
        return save_checkpoint(d, model, step=int(state["step"]), optimizer=opt, train_config=state.get("train_config"),
                               source_spec=state.get("source"), history=[tuple(h) for h in state.get("history", [])],
                               done=bool(state.get("done")))
    finally:
        torch.set_rng_state(before)
