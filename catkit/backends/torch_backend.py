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

from typing import Any

import numpy as np

from catkit.backends.base import Backend, Violation
from catkit.errors import CatkitError, KernelValueError

__all__ = ["TorchBackend", "require_torch", "check_tensor"]


def require_torch() -> Any:
    """Import torch or explain how to install it.

    >>> require_torch().__name__
    'torch'
    """
    try:
        import torch
    except ImportError:  # pragma: no cover - depends on the environment
        raise CatkitError("the torch backend needs PyTorch: pip install 'catkit-markov[lm]' (or torch)") from None
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


class TorchBackend(Backend):
    """torch float tensors; ``device`` and ``dtype`` are taken from the data.

    >>> from catkit.backends import get_backend
    >>> get_backend("torch").describe(get_backend("torch").from_entries([[1.0]]))
    'torch(cpu, float64)'
    """

    name = "torch"

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
        try:
            import torch
        except ImportError:  # pragma: no cover
            return False
        return isinstance(data, torch.Tensor)

    def eye(self, n: int, like: Any = None) -> Any:
        """Identity tensor, float64 on CPU unless ``like`` gives the device and dtype.

        >>> import torch
        >>> from catkit.backends import get_backend
        >>> get_backend("torch").eye(2, like=torch.zeros(1, 1, dtype=torch.float16)).dtype
        torch.float16
        """
        torch = require_torch()
        if like is None:
            return torch.eye(n, dtype=torch.float64)
        return torch.eye(n, dtype=like.dtype, device=like.device)

    def onehot(self, idx: np.ndarray, ncols: int, like: Any = None) -> Any:
        torch = require_torch()
        kw = {"dtype": torch.float64} if like is None else {"dtype": like.dtype, "device": like.device}
        out = torch.zeros((len(idx), ncols), **kw)
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

    def describe(self, M: Any) -> str:
        """``torch(device, dtype)``.

        >>> import torch
        >>> from catkit.backends import get_backend
        >>> get_backend("torch").describe(torch.zeros(1, 1, dtype=torch.bfloat16))
        'torch(cpu, bfloat16)'
        """
        return f"torch({M.device}, {str(M.dtype).replace('torch.', '')})"

    def compatible(self, A: Any, B: Any) -> str | None:
        """``None`` when device and dtype agree, else both descriptions.

        >>> import torch
        >>> from catkit.backends import get_backend
        >>> b = get_backend("torch")
        >>> b.compatible(b.eye(1), b.eye(2)), b.compatible(b.eye(1), torch.eye(1, dtype=torch.float32))
        (None, 'torch(cpu, float64) vs torch(cpu, float32)')
        """
        if A.device != B.device or A.dtype != B.dtype:
            return f"{self.describe(A)} vs {self.describe(B)}"
        return None

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
