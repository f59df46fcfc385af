"""gru_lib.params: validation, constructors, dict views."""

import numpy as np
import pytest

from gru_lib import GRUParams
from gru_lib.params import RECURRENT_BIAS_FIELDS, WEIGHT_FIELDS


def arrays(D=3, H=4, dtype=np.float64):
    rng = np.random.default_rng(0)
    shapes = {"W": (H, D), "U": (H, H), "b": (H,)}
    return {f: rng.normal(size=shapes[f[0]]).astype(dtype) for f in WEIGHT_FIELDS}


def test_sizes_and_dtype():
    p = GRUParams(**arrays(3, 4))
    assert (p.input_size, p.hidden_size, p.dtype) == (3, 4, np.float64)
    assert not p.has_recurrent_biases


def test_arrays_are_copies_and_read_only():
    a = arrays()
    p = GRUParams(**a)
    a["W_z"][0, 0] = 99.0
    assert p.W_z[0, 0] != 99.0
    with pytest.raises(ValueError):
        p.W_z[0, 0] = 1.0


def test_mixed_dtypes_promote():
    a = arrays()
    a["b_z"] = a["b_z"].astype(np.float32)
    assert GRUParams(**a).b_z.dtype == np.float64


@pytest.mark.parametrize("field,shape", [("W_r", (4, 2)), ("U_h", (4, 3)), ("b_z", (3,)), ("b_h", (4, 1))])
def test_wrong_shape_names_field_and_shapes(field, shape):
    a = arrays()
    a[field] = np.zeros(shape)
    with pytest.raises(ValueError, match=rf"{field} must have shape .*got shape {re_shape(shape)}"):
        GRUParams(**a)


def re_shape(shape):
    return str(shape).replace("(", r"\(").replace(")", r"\)")


def test_wrong_recurrent_bias_shape():
    with pytest.raises(ValueError, match=r"b_h_rec must have shape \(4\)"):
        GRUParams(**arrays(), b_h_rec=np.zeros(5))


@pytest.mark.parametrize(
    "bad,exc,msg",
    [
        (np.nan, ValueError, "finite"),
        (np.inf, ValueError, "finite"),
        ("x", TypeError, "real numbers"),
        (1j, TypeError, "complex"),
        (True, TypeError, "booleans"),
    ],
)
def test_non_numeric_or_non_finite(bad, exc, msg):
    a = arrays()
    w = a["U_z"].astype(object if isinstance(bad, str) else type(bad) if isinstance(bad, (complex, bool)) else float)
    w[0, 0] = bad
    a["U_z"] = w
    with pytest.raises(exc, match=msg):
        GRUParams(**a)


def test_from_arrays_reports_missing_and_unknown():
    a = arrays()
    del a["U_r"]
    a["W_q"] = np.zeros(3)
    with pytest.raises(ValueError, match=r"missing \['U_r'\], unknown \['W_q'\]"):
        GRUParams.from_arrays(a)


def test_random_is_seeded_and_scaled():
    p, q = GRUParams.random(3, 16, seed=5), GRUParams.random(3, 16, seed=5)
    assert p == q
    assert p != GRUParams.random(3, 16, seed=6)
    assert max(np.abs(a).max() for _, a in p) <= 1 / 4
    assert GRUParams.random(2, 3, dtype=np.float32).dtype == np.float32
    assert set(GRUParams.random(2, 3, recurrent_biases=True).arrays()) == set(WEIGHT_FIELDS) | set(
        RECURRENT_BIAS_FIELDS
    )


@pytest.mark.parametrize("D,H", [(0, 3), (3, 0), (-1, 2)])
def test_random_rejects_bad_sizes(D, H):
    with pytest.raises(ValueError, match="positive integer"):
        GRUParams.random(D, H)


def test_random_rejects_non_integer_size():
    with pytest.raises(TypeError, match=r"positive integer; got 2\.5"):
        GRUParams.random(2.5, 3)


def test_map_astype_and_diff():
    p = GRUParams.random(2, 3, seed=1)
    q = p.map(lambda name, a: a + (1.0 if name == "b_r" else 0.0))
    assert p.max_abs_diff(q) == pytest.approx(1.0)
    assert p.astype(np.float32).dtype == np.float32
    assert p.with_recurrent_biases().has_recurrent_biases
    assert p.max_abs_diff(p.with_recurrent_biases()) == 0.0


def test_params_is_not_a_params():
    from gru_lib import run

    with pytest.raises(TypeError, match="GRUParams; got dict"):
        run({"W_z": 1}, np.zeros((1, 1, 1)), update="keep", reset="before")
