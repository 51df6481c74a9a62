"""Torch backend: float tensors on any device (CPU, CUDA) and any float dtype.

torch is imported lazily: ``import catkit`` works without it.  Kernels on
different devices or dtypes are never combined silently (a
:class:`~catkit.errors.BackendMismatchError` names both).  Row sums are
checked within an absolute, dtype-dependent tolerance that does not grow with the row
length (``1e-9`` for float64, ``1e-5`` for float32, ``1e-2`` for half precisions), the sums being
accumulated in float64 (and recomputed exactly near the bound), so that no all-zero or far-off row
passes at any vocabulary size.  Complex, sparse and meta tensors are refused.

>>> from catkit.backends import get_backend
>>> b = get_backend("torch")
>>> b.matmul(b.from_entries([[0.25, 0.75]]), b.eye(2, like=b.from_entries([[1.0]]))).tolist()
[[0.25, 0.75]]
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from catkit.backends.base import Backend, Violation
from catkit.backends.numpy_float import LOG_DOMAIN_BELOW
from catkit.backends.ops import Ops
from catkit.errors import ConversionError, KernelValueError, MissingDependencyError

__all__ = ["TorchBackend", "TorchOps", "require_torch", "check_tensor"]


def require_torch() -> Any:
    """Import torch or explain how to install it.

    >>> require_torch().__name__
    'torch'
    """
    try:
        import torch
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingDependencyError("the torch backend needs PyTorch: pip install 'catkit-markov[lm]' (or torch)") from None
    return torch


#: absolute tolerance on row sums per dtype (a few hundred units of rounding; independent of the row length)
_TOL = {"float64": 1e-9, "float32": 1e-5, "float16": 1e-2, "bfloat16": 1e-2}


def check_tensor(t: Any) -> None:
    """Refuse tensors whose entries are not plain real numbers in memory: complex, sparse, meta, quantized.

    >>> import torch
    >>> check_tensor(torch.zeros(2, 2))
    >>> check_tensor(torch.zeros(2, 2, device="meta"))
    Traceback (most recent call last):
    ...
    catkit.errors.KernelValueError: a meta tensor has no values (only a shape): move real data to the kernel
    >>> check_tensor(torch.eye(2).to_sparse())
    Traceback (most recent call last):
    ...
    catkit.errors.KernelValueError: a sparse tensor (layout torch.sparse_coo) cannot be a kernel matrix: call .to_dense() first
    """
    if t.is_complex():
        raise KernelValueError(
            f"the torch backend needs real floating entries, got a complex tensor ({t.dtype}): "
            "probabilities are real; take .real explicitly if the imaginary part is known to be 0"
        )
    if t.device.type == "meta" or getattr(t, "is_meta", False):
        raise KernelValueError("a meta tensor has no values (only a shape): move real data to the kernel")
    if t.layout is not _torch_strided():
        raise KernelValueError(f"a sparse tensor (layout {t.layout}) cannot be a kernel matrix: call .to_dense() first")
    if getattr(t, "is_quantized", False):
        raise KernelValueError("a quantized tensor cannot be a kernel matrix: call .dequantize() first")


def _torch_strided() -> Any:
    return require_torch().strided


# ---------------------------------------------------------------------- the compute-array vocabulary
class TorchOps(Ops):
    """torch tensors on any device (results stay on the kernel's device; ``xlogy`` and friends).

    >>> import torch
    >>> TorchOps().entr(torch.tensor([[0.5, 0.5]])).device.type
    'cpu'
    """

    name = "torch"

    def compatible(self, A: Any, B: Any) -> str | None:
        if A.device != B.device or A.dtype != B.dtype:
            return f"{_describe(A)} vs {_describe(B)}"
        return None

    def rowsum(self, A: Any) -> Any:
        return A.sum(dim=1)

    def rel_entr(self, P: Any, Q: Any) -> Any:
        t = require_torch()
        return (t.special.xlogy(P, P) - t.special.xlogy(P, Q)).sum(dim=1)

    def entr(self, P: Any) -> Any:
        return -require_torch().special.xlogy(P, P).sum(dim=1)

    def power_sum(self, P: Any, Q: Any | None, a: Any) -> Any:
        t = require_torch()
        a = float(a)
        if Q is None:
            T = P.pow(a)
        else:
            T = (a * P.log() + (1.0 - a) * Q.log()).exp()
            T = t.where(Q > 0, T, t.full_like(T, math.inf if a > 1 else 0.0))
        return t.where(P > 0, T, t.zeros_like(T)).sum(dim=1)

    def log_power_sum(self, P: Any, Q: Any | None, a: Any) -> Any:
        t = require_torch()
        a = float(a)
        Z = a * P.log() if Q is None else a * P.log() + (1.0 - a) * Q.log()
        Z = t.where(P > 0, Z, t.full_like(Z, -math.inf))
        m = Z.amax(dim=1)
        fin = t.isfinite(m)
        ms = t.where(fin, m, t.zeros_like(m))
        out = (Z - ms[:, None]).exp().sum(dim=1).log() + ms
        return t.where(fin, out, m)

    def root_gap(self, P: Any, Q: Any) -> Any:
        return (P.sqrt() - Q.sqrt()).square().sum(dim=1)

    def support_mass(self, P: Any, Q: Any | None) -> Any:
        t = require_torch()
        if Q is None:
            return (P > 0).sum(dim=1).to(P.dtype)
        return t.where(P > 0, Q, t.zeros_like(Q)).sum(dim=1)

    def max_ratio(self, P: Any, Q: Any | None) -> Any:
        t = require_torch()
        if Q is None:
            return P.amax(dim=1)
        return t.where(P > 0, P / Q, t.zeros_like(P)).amax(dim=1)

    def min_support(self, P: Any) -> Any:
        t = require_torch()
        return t.where(P > 0, P, t.full_like(P, math.inf)).amin(dim=1)

    def f_sum(self, P: Any, Q: Any, f: Callable[[Any], Any], f0: Any, slope: Any) -> Any:
        t = require_torch()
        pos, ppos = Q > 0, P > 0
        safe = t.where(pos & ppos, P / t.where(pos, Q, t.ones_like(Q)), t.ones_like(P))
        body = t.where(ppos, Q * f(safe), Q * float(f0))
        T = t.where(pos, body, t.zeros_like(P))
        lost = ppos & ~pos
        if bool(lost.any()):
            T = t.where(lost, P * float(slope), T)
        return T.sum(dim=1)

    def log(self, v: Any) -> Any:
        return v.log()

    def sqrt(self, v: Any) -> Any:
        return v.sqrt()

    def exp(self, v: Any) -> Any:
        return v.exp()

    def nonneg(self, v: Any) -> Any:
        return v.clamp_min(0.0)

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        t = require_torch()
        ref = a if isinstance(a, t.Tensor) else b
        a = a if isinstance(a, t.Tensor) else t.full_like(ref, float(a))
        b = b if isinstance(b, t.Tensor) else t.full_like(ref, float(b))
        return t.where(t.as_tensor(cond, device=ref.device), a, b)

    def is_one(self, v: Any) -> Any:
        return v == 1.0

    def weighted(self, w: Any, v: Any) -> Any:
        t = require_torch()
        return t.where(w > 0, w * t.where(w > 0, v, t.zeros_like(v)), t.zeros_like(v)).sum()

    def masked_max(self, w: Any, v: Any) -> Any:
        t = require_torch()
        return t.where(w > 0, v, t.full_like(v, -math.inf)).amax()

    def max(self, v: Any) -> Any:
        return v.amax() if v.numel() else v.new_zeros(())

    def scalar(self, v: Any) -> Any:
        return v[0]

    def one(self, x: Any) -> Any:
        t = require_torch()
        return x.reshape(1) if isinstance(x, t.Tensor) else t.tensor([x], dtype=t.float64)

    def take_rows(self, A: Any, idx: np.ndarray) -> Any:
        return A[require_torch().as_tensor(np.asarray(idx), dtype=require_torch().long, device=A.device)]

    def numeric_function(self, expr: Any, symbol: Any) -> Callable[[Any], Any] | None:
        import sympy as sp

        t = require_torch()
        return sp.lambdify(symbol, expr, [{"log": t.log, "sqrt": t.sqrt, "exp": t.exp, "Abs": t.abs}, "math"])  # type: ignore[no-any-return]

    # --- arrays of any rank ------------------------------------------------------
    def asum(self, a: Any, axes: Sequence[int], keepdims: bool = False) -> Any:
        axes = tuple(int(x) for x in axes)
        return a.sum(dim=axes, keepdim=keepdims) if axes else a.clone()

    def zero_mask(self, a: Any, tol: float = 0.0) -> Any:
        return a.abs() <= tol

    def safe_divide(self, num: Any, den: Any, den_zero: Any) -> Any:
        t = require_torch()
        one = t.ones((), dtype=num.dtype, device=num.device)
        return t.where(den_zero, t.zeros((), dtype=num.dtype, device=num.device), num / t.where(den_zero, one, den))

    def transpose(self, a: Any, order: Sequence[int]) -> Any:
        return a.permute(*[int(i) for i in order])

    def broadcast_to(self, a: Any, shape: tuple[int, ...]) -> Any:
        return a.expand(*shape)

    def contiguous(self, a: Any) -> Any:
        return a.contiguous()

    def host(self, a: Any) -> np.ndarray:
        return a.detach().cpu().numpy()  # type: ignore[no-any-return]

    def array(self, rows: Sequence[Sequence[Any]], like: Any = None) -> Any:
        t = require_torch()
        kw = {"dtype": t.float64} if like is None else {"dtype": like.dtype, "device": like.device}
        return t.stack([t.stack([t.as_tensor(x, **kw) for x in r]) for r in rows])

    def bayes_inverse(self, F: Any, P: Any, tol: float, signed: bool = False) -> tuple[Any, Any]:
        """As :meth:`Ops.bayes_inverse`, and like :meth:`~catkit.backends.numpy_float.NumpyOps.bayes_inverse` for
        tiny observations: a positive observation too improbable for the dtype (``q`` underflows, or is subnormal
        and imprecise, or ``p(x) f(y|x)`` underflows while ``q`` does not) is recomputed with the binary exponents
        of ``p(x)`` and ``f(y|x)`` kept apart (``frexp``), scaled by the largest product, rather than left for the
        fill.  The bound on ``q`` is float64's (:data:`~catkit.backends.numpy_float.LOG_DOMAIN_BELOW`), scaled to
        the dtype's smallest normal number.  Any float dtype, any device.

        >>> import torch
        >>> F = torch.tensor([[1e-200, 1.0], [0.0, 1.0]], dtype=torch.float64)
        >>> P = torch.tensor([1e-200, 1.0], dtype=torch.float64)
        >>> float((P @ F)[0])  # the observation 0 has probability 1e-400, which float64 cannot hold
        0.0
        >>> D, zero = TorchOps().bayes_inverse(F, P, 0.0)
        >>> D[0].tolist(), zero.tolist()
        ([1.0, 0.0], [False, False])
        """
        if signed:
            return super().bayes_inverse(F, P, tol, signed)
        t = require_torch()
        if t.finfo(F.dtype).bits < 32:  # half precision: computed in float32 and rounded once (a float16 q of many
            D, zero = self.bayes_inverse(F.float(), P.float(), tol)  # terms is off by percents; exponents overflow)
            return D.to(F.dtype), zero
        q = P @ F
        zero = q.abs() <= tol
        tiny = None
        if tol == 0:
            low = q < LOG_DOMAIN_BELOW / np.finfo(np.float64).tiny * t.finfo(F.dtype).tiny  # float64's margin, scaled
            if bool(low.any()):  # the one host sync; the support test is a pass over F, only when some q is that small
                tiny = low & ((P[:, None] > 0) & (F > 0)).any(dim=0)
                zero = zero & ~tiny
        one = t.ones((), dtype=F.dtype, device=F.device)
        D = (F.T * P).div_(t.where(zero if tiny is None else zero | tiny, one, q)[:, None]).masked_fill_(zero[:, None], 0)
        if tiny is not None and bool(tiny.any()):
            cols = t.nonzero(tiny).flatten()
            (fm, fe), (pm, pe) = t.frexp(F[:, cols].T), t.frexp(P)
            M = fm * pm[None, :]  # p(x) f(y|x) = M · 2^E with M in [1/4, 1) (or 0): no underflow
            E = t.where(M > 0, fe + pe[None, :], t.full_like(fe, -(2**20)))
            S = t.ldexp(M, E - E.amax(dim=1, keepdim=True))  # scaled by the largest product (some product is > 0)
            D = D.index_copy(0, cols, S / S.sum(dim=1, keepdim=True))
        return D, zero

    def inverse(self, M: Any) -> Any | None:
        t = require_torch()
        if t.linalg.matrix_rank(M) < M.shape[0]:
            return None
        return t.linalg.inv(M)


def _describe(M: Any) -> str:
    return f"torch({M.device}, {str(M.dtype).replace('torch.', '')})"


def _placed(like: Any, device: Any, dtype: Any) -> dict[str, Any]:
    """Where a new tensor goes: ``like``'s device and dtype, else the ones asked for (float64 by default)."""
    if like is not None:
        return {"dtype": like.dtype, "device": like.device}
    return {"dtype": dtype or require_torch().float64, "device": device}


class TorchBackend(Backend):
    """torch float tensors; ``device`` and ``dtype`` are taken from the data.

    >>> from catkit.backends import get_backend
    >>> get_backend("torch").describe(get_backend("torch").from_entries([[1.0]]))
    'torch(cpu, float64)'
    """

    name = "torch"
    ops = TorchOps()

    def from_entries(self, rows: Any, *, device: Any = None, dtype: Any = None, **options: Any) -> Any:
        """A float tensor (a copy; default float64, or the input tensor's device and dtype).

        >>> import torch
        >>> from catkit.backends import get_backend
        >>> get_backend("torch").from_entries([[0.5, 0.5]], dtype=torch.float32)
        tensor([[0.5000, 0.5000]])
        """
        torch = require_torch()
        if isinstance(rows, torch.Tensor):
            check_tensor(rows)
            if not (rows.is_floating_point() or dtype is not None):
                dtype = torch.float64
            out = rows.detach().to(device=device or rows.device, dtype=dtype or rows.dtype).clone()
        else:
            arr = np.asarray(rows, dtype=object)
            from catkit.backends.numpy_float import real_entries

            arr = real_entries(arr, "torch")
            out = torch.as_tensor(arr, dtype=dtype or torch.float64, device=device)
        if not out.is_floating_point():
            raise KernelValueError(f"the torch backend needs a floating dtype, got {out.dtype}")
        return out

    def entry_bytes(self, M: Any = None) -> int:
        return (M.element_size() if M is not None else 8) + 2  # storage and the boolean masks of validation

    def full(self, rows: int, cols: int, value: Any, *, device: Any = None, dtype: Any = None, **options: Any) -> Any:
        torch = require_torch()
        return torch.full((rows, cols), float(value), dtype=dtype or torch.float64, device=device)

    def adopt(self, M: Any) -> Any:
        """A detached copy of a tensor passed to ``Kernel.from_matrix`` (complex, sparse, meta tensors refused).

        >>> import torch
        >>> from catkit.backends import get_backend
        >>> get_backend("torch").adopt(torch.zeros(1, 1, dtype=torch.complex64))
        Traceback (most recent call last):
        ...
        catkit.errors.KernelValueError: the torch backend needs real floating entries, got a complex tensor (torch.complex64): ...
        """
        check_tensor(M)
        if not M.is_floating_point():
            raise KernelValueError(f"the torch backend needs a floating dtype, got {M.dtype}")
        return M.detach().clone()

    def native(self, data: Any) -> bool:
        torch = sys.modules.get("torch")  # a tensor exists only once torch was imported: never import it here
        return torch is not None and isinstance(data, torch.Tensor)

    def eye(self, n: int, like: Any = None, *, device: Any = None, dtype: Any = None, **options: Any) -> Any:
        """Identity tensor, float64 on CPU unless ``like`` (or ``device``, ``dtype``) gives the device and dtype.

        >>> import torch
        >>> from catkit.backends import get_backend
        >>> get_backend("torch").eye(2, like=torch.zeros(1, 1, dtype=torch.float16)).dtype
        torch.float16
        """
        return require_torch().eye(n, **_placed(like, device, dtype))

    def onehot(self, idx: np.ndarray, ncols: int, like: Any = None, *, device: Any = None, dtype: Any = None,
               **options: Any) -> Any:
        torch = require_torch()
        out = torch.zeros((len(idx), ncols), **_placed(like, device, dtype))
        if len(idx):
            out[torch.arange(len(idx)), torch.as_tensor(np.array(idx), dtype=torch.long)] = 1
        return out

    def from_compute(self, arr: Any) -> Any:
        torch = require_torch()
        return arr if isinstance(arr, torch.Tensor) else torch.as_tensor(np.asarray(arr, dtype=np.float64))

    def shape(self, M: Any) -> tuple[int, int]:
        return tuple(M.shape)  # type: ignore[return-value]

    def matmul(self, A: Any, B: Any) -> Any:
        return A @ B

    def kron(self, A: Any, B: Any) -> Any:
        return (A[:, None, :, None] * B[None, :, None, :]).reshape(A.shape[0] * B.shape[0], A.shape[1] * B.shape[1])

    def take(self, M: Any, rows: np.ndarray | None, cols: np.ndarray | None) -> Any:
        torch = require_torch()
        out = M
        if rows is not None:
            out = out[torch.as_tensor(np.array(rows), dtype=torch.long, device=M.device)]
        if cols is not None:
            out = out[:, torch.as_tensor(np.array(cols), dtype=torch.long, device=M.device)]
        return out.clone() if out is M else out

    def pushforward(self, M: Any, idx: np.ndarray, ncols: int) -> Any:
        torch = require_torch()
        out = torch.zeros((M.shape[0], ncols), dtype=M.dtype, device=M.device)
        return out.index_add_(1, torch.as_tensor(np.array(idx), dtype=torch.long, device=M.device), M)

    def marginal(self, M: Any, sizes: tuple[int, ...], keep: list[int]) -> Any:
        from catkit.backends.numpy_float import keep_axes

        return keep_axes(M, sizes, keep).contiguous()

    def compute(self, M: Any) -> Any:
        return M

    def equal(self, A: Any, B: Any) -> bool:
        torch = require_torch()
        return tuple(A.shape) == tuple(B.shape) and bool(torch.equal(A, B))

    def allclose(self, A: Any, B: Any, tol: float) -> bool:
        if tuple(A.shape) != tuple(B.shape):
            return False
        return bool(((A - B).abs() <= tol).all()) if A.numel() else True

    def tolist(self, M: Any) -> list[list[float]]:
        return M.detach().cpu().tolist()

    def to_numpy(self, M: Any) -> np.ndarray:
        """A float64 numpy copy on the CPU (detached from autograd).

        >>> import torch
        >>> from catkit.backends import get_backend
        >>> get_backend("torch").to_numpy(torch.tensor([[0.25, 0.75]], dtype=torch.float32, requires_grad=True))
        array([[0.25, 0.75]])
        """
        return M.detach().to("cpu").double().numpy()

    def fmt(self, x: Any) -> str:
        return f"{float(x):.6g}"

    def convert(self, M: Any, src: Backend, *, device: Any = None, dtype: Any = None, **options: Any) -> Any:
        """A tensor from ``src``'s matrix; a torch tensor moves to ``device``/``dtype`` (the same tensor when
        both are already its own).

        >>> import torch
        >>> from catkit.backends import get_backend
        >>> b = get_backend("torch")
        >>> b.convert(b.eye(2), b, dtype=torch.float32).dtype
        torch.float32
        """
        if src is self:
            return M.to(device=device or M.device, dtype=dtype or M.dtype)
        return self.from_entries(src.to_numpy(M), device=device, dtype=dtype)

    def placement(self, M: Any) -> dict[str, Any]:
        """``{"device": ..., "dtype": ...}`` of a tensor.

        >>> import torch
        >>> from catkit.backends import get_backend
        >>> get_backend("torch").placement(torch.zeros(1, dtype=torch.float32))
        {'device': device(type='cpu'), 'dtype': torch.float32}
        """
        return {"device": M.device, "dtype": M.dtype}

    def as_table(self, data: Any, rows: int, cols: int) -> Any:
        check_tensor(data)  # complex, sparse, meta: refused before anything touches the values
        return data.reshape(rows, cols)

    def host(self, M: Any, copy: bool | None = None) -> np.ndarray:
        """The tensor's values on the CPU (a view of a CPU tensor; ``copy=False`` refuses a GPU tensor).

        >>> import torch
        >>> from catkit.backends import get_backend
        >>> get_backend("torch").host(torch.ones(1, 2)).tolist()
        [[1.0, 1.0]]
        """
        t = M.detach()
        if copy is False and t.device.type != "cpu":
            raise ConversionError(f"np.asarray(copy=False) of a kernel on {t.device}: it must be copied to the CPU")
        if t.dtype == require_torch().bfloat16:  # numpy has no bfloat16: float32 holds every bfloat16 exactly
            if copy is False:
                raise ConversionError("np.asarray(copy=False) of a bfloat16 kernel: numpy has no bfloat16, it must be converted")
            t = t.float()
        return t.cpu().numpy()  # type: ignore[no-any-return]

    def dlpack(self, M: Any, **kwargs: Any) -> Any:
        return M.detach().__dlpack__(**kwargs)

    def dlpack_device(self, M: Any) -> tuple[int, int]:
        return tuple(M.__dlpack_device__())  # type: ignore[return-value]

    def repr_options(self, M: Any) -> list[str]:
        """``dtype=`` (and ``device=`` off the CPU).

        >>> import torch
        >>> from catkit.backends import get_backend
        >>> get_backend("torch").repr_options(torch.zeros(1, dtype=torch.float32))
        ['dtype=torch.float32']
        """
        out = [f"dtype=torch.{str(M.dtype).replace('torch.', '')}"]
        if M.device.type != "cpu":
            out.append(f"device={str(M.device)!r}")
        return out

    def describe(self, M: Any) -> str:
        """``torch(device, dtype)``.

        >>> import torch
        >>> from catkit.backends import get_backend
        >>> get_backend("torch").describe(torch.zeros(1, 1, dtype=torch.bfloat16))
        'torch(cpu, bfloat16)'
        """
        return _describe(M)

    def compatible(self, A: Any, B: Any) -> str | None:
        """``None`` when device and dtype agree, else both descriptions.

        >>> import torch
        >>> from catkit.backends import get_backend
        >>> b = get_backend("torch")
        >>> b.compatible(b.eye(1), b.eye(2)), b.compatible(b.eye(1), torch.eye(1, dtype=torch.float32))
        (None, 'torch(cpu, float64) vs torch(cpu, float32)')
        """
        return self.ops.compatible(A, B)

    def default_tol(self, M: Any) -> float:
        """Absolute tolerance on row sums for the dtype (see the module docstring), whatever the row length.

        >>> import torch
        >>> from catkit.backends import get_backend
        >>> b = get_backend("torch")
        >>> b.default_tol(torch.ones(1, 4, dtype=torch.float32)), b.default_tol(torch.ones(1, 10**5, dtype=torch.float16))
        (1e-05, 0.01)
        """
        return _TOL.get(str(M.dtype).replace("torch.", ""), 1e-5)

    def violation(self, M: Any, *, nonneg: bool, rowsum: str, zero_one: bool, tol: float | None) -> Violation | None:
        """As :meth:`Backend.violation` (row sums in float64, see the module docstring).

        >>> import torch
        >>> from catkit.backends import get_backend
        >>> b = get_backend("torch")
        >>> b.violation(torch.zeros(1, 101, dtype=torch.float16), nonneg=True, rowsum="eq", zero_one=False, tol=None)
        Violation(row=0, reason='sums to 0, not 1 (tolerance 0.01)')
        """
        torch = require_torch()
        if M.shape[0] == 0:
            return None
        tol = self.default_tol(M) if tol is None else tol
        masks: list[tuple[Any, Any]] = [(~torch.isfinite(M).all(dim=1), lambda i: "has a NaN or infinite entry")]
        if nonneg:
            masks.append(((M < 0).any(dim=1), lambda i: "has a negative entry"))
        if zero_one:
            masks.append((~((M == 0) | (M == 1)).all(dim=1), lambda i: "is not 0/1 (FinSet kernels are functions)"))
        if rowsum != "none":
            from catkit.backends.numpy_float import exact_row_sums

            sums = M.double().sum(dim=1).cpu().numpy()
            sums = exact_row_sums(sums, tol, lambda rows: M[torch.as_tensor(rows, device=M.device)].double().cpu().numpy())
            if rowsum == "eq":
                bad = torch.as_tensor(np.abs(sums - 1) > tol, device=M.device)
                masks.append((bad, lambda i: f"sums to {float(sums[i]):.15g}, not 1 (tolerance {tol:g})"))
            else:
                bad = torch.as_tensor(sums > 1 + tol, device=M.device)
                masks.append((bad, lambda i: f"sums to {float(sums[i]):.15g} > 1 (tolerance {tol:g})"))
        first = None
        for mask, why in masks:
            idx = torch.nonzero(mask).flatten()
            if idx.numel() and (first is None or int(idx[0]) < first[0]):
                first = (int(idx[0]), why)
        return None if first is None else Violation(first[0], first[1](first[0]))
