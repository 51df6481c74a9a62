"""np.asarray(kernel) and torch.as_tensor(kernel): the matrix, exactness kept, kernels never mutated through a view."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy
import torch

from catkit import Kernel, Wire
from catkit.errors import BackendMismatchError

F = Kernel([["1/3", "2/3"], ["1/4", "3/4"]], Wire(["a", "b"]), Wire(2))
G = Kernel([["1/2", "1/6", "1/3"], [0, 1, 0]])


def test_exact_kernels_give_fractions_and_stay_exact() -> None:
    a = np.asarray(F)
    assert a.dtype == object and a.shape == (2, 2) and a[1, 1] == Fraction(3, 4) and isinstance(a[1, 1], Fraction)
    a[0, 0] = Fraction(0)                                   # a fresh array: the kernel is untouched
    assert F["a", 0] == Fraction(1, 3) and F.backend.name == "exact"
    # numpy's own matrix product of the arrays is catkit's composition, exactly
    assert (np.asarray(F) @ np.asarray(G)).tolist() == (F >> G).matrix.tolist()
    f = np.asarray(F, dtype=float)
    assert f.dtype == np.float64 and f.tolist() == [[1 / 3, 2 / 3], [0.25, 0.75]]
    assert np.asarray(F, dtype=object).tolist() == F.matrix.tolist()
    with pytest.raises(ValueError, match="copy=False"):
        np.asarray(F, copy=False)
    with pytest.raises(ValueError, match="copy=False"):  # as floats too: exact entries are never shared
        np.asarray(F, dtype=float, copy=False)
    assert np.asarray(Kernel.copy(Wire(2))).tolist() == Kernel.copy(Wire(2)).matrix.tolist()   # structural kernels too
    assert np.asarray(F).reshape(F.shape).tolist() == F.array.tolist()


def test_float_kernels_share_read_only_storage() -> None:
    k = Kernel([[0.2, 0.8], [0.5, 0.5]])
    a = np.asarray(k)
    assert a.dtype == np.float64 and not a.flags.writeable and np.shares_memory(a, k.matrix)
    with pytest.raises(ValueError):
        a[0, 0] = 1.0
    assert np.asarray(k, copy=False) is not None and np.asarray(k, copy=True).flags.writeable
    assert np.asarray(k, dtype=np.float32).dtype == np.float32
    with pytest.raises(ValueError, match="conversion"):
        np.asarray(k, dtype=np.float32, copy=False)
    assert np.allclose(np.asarray(k) @ np.asarray(k), np.asarray(k >> k))


def test_torch_kernels() -> None:
    k = Kernel([[0.25, 0.75], [1.0, 0.0]], backend="torch", dtype=torch.float32)
    t = torch.as_tensor(k)
    assert t.dtype == torch.float32 and t.data_ptr() == k.matrix.data_ptr() and not t.requires_grad
    a = np.asarray(k)
    assert a.dtype == np.float32 and not a.flags.writeable and a.tolist() == [[0.25, 0.75], [1.0, 0.0]]
    # a numpy kernel's tensor is a copy: writing into it leaves the kernel alone
    n = Kernel([[0.25, 0.75]])
    tn = torch.as_tensor(n)
    tn[0, 0] = 9.0
    assert n.matrix.tolist() == [[0.25, 0.75]] and tn.dtype == torch.float64
    assert np.from_dlpack(k).tolist() == [[0.25, 0.75], [1.0, 0.0]]


def test_exact_kernels_refuse_a_tensor_but_convert_explicitly() -> None:
    with pytest.raises(BackendMismatchError, match="without rounding"):
        torch.as_tensor(F)
    with pytest.raises(BackendMismatchError, match="a sympy kernel"):
        p = sympy.Symbol("p")
        torch.as_tensor(Kernel([[p, 1 - p]], backend="sympy"))
    t = torch.as_tensor(np.asarray(F, dtype=float))
    assert torch.allclose(t, torch.tensor([[1 / 3, 2 / 3], [0.25, 0.75]], dtype=torch.float64))


def test_bfloat16_kernels_give_float32_arrays_holding_every_entry_exactly():
    torch = pytest.importorskip("torch")
    t = torch.tensor([[0.25, 0.75], [0.1, 0.9]], dtype=torch.bfloat16)
    t = t / t.sum(dim=1, keepdim=True)
    k = Kernel(t)
    a = np.asarray(k)  # numpy has no bfloat16 (it used to raise TypeError: unsupported ScalarType BFloat16)
    assert a.dtype == np.float32 and torch.equal(torch.tensor(a).to(torch.bfloat16), k.matrix)
    with pytest.raises(ValueError, match="bfloat16"):
        np.asarray(k, copy=False)
