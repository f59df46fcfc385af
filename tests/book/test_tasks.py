"""gru_book.tasks: the memory task's data, accuracy, the training loop and the flip distance."""

import numpy as np
import pytest

from gru_book.tasks import History, MemoryTask, accuracy, evaluate, flip_distance, steps_to_reach, train
from gru_lib import GRUParams, convert
from gru_lib.backprop import Readout
from gru_lib.optim import SGD, Adam


def test_sample_layout_and_seeding():
    task = MemoryTask(steps=7, batch=5, noise=0.5)
    xs, t = task.sample(3)
    assert xs.shape == (7, 5, 2) and t.shape == (5, 1)
    np.testing.assert_array_equal(xs[0, :, 0], t[:, 0])  # the sign is shown at the first step
    assert np.all(xs[1:, :, 0] == 0)  # and never again
    assert set(np.unique(np.abs(xs[:, :, 1]))) == {0.5}  # distractors of amplitude noise
    assert set(np.unique(t)) <= {-1.0, 1.0}
    xs2, t2 = task.sample(3)
    np.testing.assert_array_equal(xs, xs2)
    np.testing.assert_array_equal(t, t2)
    assert not np.array_equal(task.sample(4)[0], xs)
    assert task.sample(0, batch=2, dtype=np.float32)[0].dtype == np.float32


def test_both_signs_occur_about_equally():
    _, t = MemoryTask(steps=2, batch=4000).sample(0)
    assert abs(np.mean(t)) < 0.05


def test_accuracy_counts_sign_agreement():
    assert accuracy(np.array([[0.2], [-3.0], [0.1], [0.0]]), np.array([[1.0], [-1.0], [-1.0], [1.0]])) == 0.5
    with pytest.raises(ValueError, match="same shape"):
        accuracy(np.ones((2, 1)), np.ones(2))


def _start(bz=0.0, H=6, seed=0):
    p = GRUParams.random(2, H, seed=seed)
    return p.replace(b_z=np.full(H, bz)), Readout.random(H, seed=seed + 1)


def test_train_records_losses_and_snapshots_and_learns():
    task = MemoryTask(steps=6, batch=32)
    p, ro = _start()
    h = train(p, ro, task, Adam(0.03), steps=120, update="keep")
    assert isinstance(h, History)
    assert len(h.losses) == 120 and len(h.params) == 121 and len(h.readouts) == 121
    assert h.params[0] == p
    assert h.losses[0] > 0.6  # chance level is ln 2 ≈ 0.693
    assert np.mean(h.losses[-10:]) < 0.1
    loss, acc = evaluate(*h.final, task, update="keep")
    assert acc > 0.95 and loss < 0.2


def test_training_from_flipped_start_is_the_flipped_run():
    task = MemoryTask(steps=5, batch=8)
    p, ro = _start(bz=1.0)
    for make in (lambda: SGD(1.0), lambda: Adam(0.05)):
        hk = train(p, ro, task, make(), steps=15, update="keep", reset="after", seed=4)
        ha = train(convert(p), ro, task, make(), steps=15, update="admit", reset="after", seed=4)
        np.testing.assert_array_equal(hk.losses, ha.losses)
        d = flip_distance(hk, ha)
        assert d.shape == (16,) and np.all(d == 0)
        # without the flip the two runs are different runs
        hs = train(p, ro, task, make(), steps=15, update="admit", reset="after", seed=4)
        assert np.max(flip_distance(hk, hs)) > 0.5


def test_flip_distance_sees_a_difference_in_the_readout():
    task = MemoryTask(steps=3, batch=4)
    p, ro = _start()
    hk = train(p, ro, task, SGD(0.1), steps=2, update="keep")
    ha = train(convert(p), Readout(ro.W + 1e-3, ro.b), task, SGD(0.1), steps=2, update="admit")
    assert flip_distance(hk, ha)[0] == pytest.approx(1e-3)


def test_bad_input_is_refused():
    task = MemoryTask(steps=3, batch=4)
    p, ro = _start()
    with pytest.raises(ValueError, match="steps"):
        MemoryTask(steps=0)
    with pytest.raises(TypeError, match="batch"):
        MemoryTask(batch=2.5)
    with pytest.raises(ValueError, match="noise"):
        MemoryTask(noise=-1.0)
    with pytest.raises(ValueError, match="input_size 2"):
        train(GRUParams.random(3, 4), Readout.random(4), task, SGD(0.1), steps=1, update="keep")
    with pytest.raises(TypeError, match="Readout"):
        train(p, None, task, SGD(0.1), steps=1, update="keep")
    with pytest.raises(TypeError, match="optimizer"):
        train(p, ro, task, 0.1, steps=1, update="keep")
    with pytest.raises(ValueError, match="update"):
        train(p, ro, task, SGD(0.1), steps=1, update="write")
    hk = train(p, ro, task, SGD(0.1), steps=2, update="keep")
    hl = train(p, ro, task, SGD(0.1), steps=3, update="keep")
    with pytest.raises(ValueError, match="as many steps"):
        flip_distance(hk, hl)
    with pytest.raises(TypeError, match="History"):
        flip_distance(hk, hl.params)


def test_steps_to_reach():
    assert steps_to_reach([0.7, 0.3, 0.05, 0.2, 0.01], 0.1) == 2
    assert steps_to_reach([0.7, 0.3], 0.1) is None
    assert steps_to_reach([0.05], 0.1) == 0
    with pytest.raises(TypeError, match="level"):
        steps_to_reach([0.1], "0.1")
    with pytest.raises(ValueError, match=r"\(steps,\)"):
        steps_to_reach(np.ones((2, 2)), 0.1)
