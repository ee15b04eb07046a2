"""Tests for aigc_course.gan: the article's MLP GAN, the DCGAN, losses, training loop and latent paths."""

import math

import pytest
import torch
import torch.nn.functional as F

from aigc_course.data import load_mnist5k
from aigc_course.gan import (
    DCGANDiscriminator,
    DCGANGenerator,
    Discriminator,
    GANConfig,
    GANHistory,
    Generator,
    d_loss,
    frozen,
    g_loss,
    interpolate,
    latents,
    make_gan,
    plot_history,
    sample,
    show_latent_mix,
    show_snapshots,
    slerp,
    train_gan,
)


@pytest.fixture(scope="module")
def digits():
    return load_mnist5k("train")[0][:512]


def _n_params(module):
    return sum(p.numel() for p in module.parameters())


# ---- the models ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["mlp", "dcgan"])
def test_shapes_and_value_ranges(kind):
    torch.manual_seed(0)
    generator, discriminator = make_gan(kind, z_dim=16)
    generator.eval(), discriminator.eval()
    z = torch.randn(7, 16) * 5  # large latents still give images in [-1, 1]
    images = generator(z)
    assert images.shape == (7, 1, 28, 28)
    assert images.min() >= -1 and images.max() <= 1
    probs = discriminator(images)
    assert probs.shape == (7, 1) and ((probs > 0) & (probs < 1)).all()
    logits = discriminator.logits(images)
    assert logits.shape == (7,)
    assert torch.allclose(torch.sigmoid(logits), probs[:, 0])
    assert torch.allclose(discriminator.logits(images.flatten(1)), logits)  # flat (N, 784) works too


def test_the_article_mlp_sizes():
    generator, discriminator = Generator(100), Discriminator()
    widths = [m.out_features for m in generator.model if isinstance(m, torch.nn.Linear)]
    assert widths == [256, 512, 1024, 784]
    assert [m.out_features for m in discriminator.model if isinstance(m, torch.nn.Linear)] == [512, 256, 1]
    assert _n_params(generator) == 1_486_352 and _n_params(discriminator) == 533_505
    assert isinstance(generator.model[-1], torch.nn.Tanh)
    assert sum(isinstance(m, torch.nn.Dropout) and m.p == 0.3 for m in discriminator.model) == 2
    assert all(m.negative_slope == 0.2 for m in generator.model if isinstance(m, torch.nn.LeakyReLU))


def test_dcgan_is_convolutional_and_small():
    generator, discriminator = DCGANGenerator(100), DCGANDiscriminator()
    assert any(isinstance(m, torch.nn.ConvTranspose2d) for m in generator.modules())
    assert any(isinstance(m, torch.nn.Conv2d) for m in discriminator.modules())
    assert _n_params(generator) < _n_params(Generator(100))


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_bad_z_dim_is_rejected(bad):
    with pytest.raises(ValueError, match="z_dim"):
        Generator(bad)
    with pytest.raises(ValueError, match="z_dim"):
        DCGANGenerator(bad)


@pytest.mark.parametrize("bad", [2.5, True, "8"])
def test_a_z_dim_of_the_wrong_type_is_also_a_type_error(bad):
    with pytest.raises(TypeError, match="z_dim must be an int"):
        Generator(bad)


def test_bad_inputs_to_the_models():
    generator, discriminator = make_gan("mlp", z_dim=8)
    with pytest.raises(ValueError, match=r"z must have shape \(N, 8\)"):
        generator(torch.randn(4, 9))
    with pytest.raises(ValueError, match="x must have shape"):
        discriminator(torch.rand(4, 1, 32, 32))
    with pytest.raises(TypeError, match="torch.Tensor"):
        discriminator.logits([[0.0] * 784])
    with pytest.raises(ValueError, match="kind"):
        make_gan("vae")


# ---- losses --------------------------------------------------------------------------


def test_d_loss_equals_the_articles_sigmoid_bce_form_where_that_is_finite():
    torch.manual_seed(0)
    real, fake = torch.randn(32) * 3, torch.randn(32) * 3
    bce = torch.nn.BCELoss()
    article = bce(torch.sigmoid(real), torch.ones(32)) + bce(torch.sigmoid(fake), torch.zeros(32))
    assert d_loss(real, fake).item() == pytest.approx(article.item(), rel=1e-5)


def test_d_loss_stays_exact_for_confident_logits():
    real, fake = torch.tensor([10.0]), torch.tensor([40.0])  # D is sure the fake is real: loss ~ 40 nats
    exact = d_loss(real, fake).item()
    assert exact == pytest.approx(40.0 + math.log1p(math.exp(-10)) + math.log1p(math.exp(-40)), rel=1e-5)
    # Sigmoid + BCELoss: sigmoid(40) rounds to 1.0 in float32, log(0) is clamped to -100
    article = F.binary_cross_entropy(torch.sigmoid(fake), torch.zeros(1)).item()
    assert article == pytest.approx(100.0)


def test_label_smoothing_changes_the_real_target():
    real, fake = torch.tensor([2.0]), torch.tensor([-2.0])
    smoothed = d_loss(real, fake, real_label=0.9)
    expected = F.binary_cross_entropy_with_logits(real, torch.tensor([0.9])) + F.softplus(fake).mean()
    assert smoothed.item() == pytest.approx(expected.item())


def test_non_saturating_loss_keeps_gradients_when_d_rejects_fakes():
    logits = torch.tensor([-10.0], requires_grad=True)
    g_loss(logits, "non_saturating").backward()
    strong = logits.grad.abs().item()
    logits.grad = None
    g_loss(logits, "minimax").backward()
    weak = logits.grad.abs().item()
    assert strong > 0.99 and weak < 1e-4
    # both push the logit up (towards "real")
    assert g_loss(torch.tensor([1.0])) < g_loss(torch.tensor([0.0]))
    assert g_loss(torch.tensor([1.0]), "minimax") < g_loss(torch.tensor([0.0]), "minimax")
    with pytest.raises(ValueError, match="kind"):
        g_loss(logits, "wasserstein")


# ---- training ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["mlp", "dcgan"])
def test_one_discriminator_step_lowers_its_loss_on_a_fixed_batch(kind, digits):
    torch.manual_seed(0)
    generator, discriminator = make_gan(kind)
    real = digits[:64] * 2 - 1
    with torch.no_grad():
        fake = generator(torch.randn(64, 100))
    optimizer = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))

    def loss():
        torch.manual_seed(1)  # the same dropout masks for both measurements
        return d_loss(discriminator.logits(real), discriminator.logits(fake))

    before = loss()
    optimizer.zero_grad()
    before.backward()
    optimizer.step()
    assert loss().item() < before.item()


def _params(module):
    return torch.cat([p.detach().flatten() for p in module.parameters()])


@pytest.mark.parametrize("kind", ["mlp", "dcgan"])
def test_training_is_deterministic_with_a_seed(kind, digits):
    runs = []
    for seed in (3, 3, 4):
        torch.manual_seed(99)  # same initial weights every time
        generator, discriminator = make_gan(kind, z_dim=16)
        history = train_gan(generator, discriminator, digits, GANConfig(steps=4, batch_size=16, log_every=2, seed=seed),
                            progress=False)
        runs.append((_params(generator), history.d_loss))
    assert torch.equal(runs[0][0], runs[1][0]) and runs[0][1] == runs[1][1]
    assert not torch.equal(runs[0][0], runs[2][0])


def test_history_and_snapshots(digits):
    torch.manual_seed(0)
    generator, discriminator = make_gan("mlp", z_dim=16)
    config = GANConfig(steps=6, batch_size=8, log_every=4, snapshot_steps=(0, 6), n_snapshot=9)
    history = train_gan(generator, discriminator, digits, config, progress=False)
    assert isinstance(history, GANHistory)
    assert history.step == [4, 6]
    for series in (history.d_loss, history.g_loss, history.d_real, history.d_fake):
        assert len(series) == 2 and all(math.isfinite(v) for v in series)
    assert all(0 < p < 1 for p in history.d_real + history.d_fake)
    assert sorted(history.snapshots) == [0, 6]
    grid = history.snapshots[6]
    assert grid.shape == (3, 3 * 28 + 4, 3 * 28 + 4) and grid.min() >= 0 and grid.max() <= 1
    assert not torch.equal(history.snapshots[0], grid)  # the generator changed
    assert history.seconds > 0
    assert not generator.training and not discriminator.training
    import matplotlib.pyplot as plt

    plt.close(plot_history(history, "mlp"))
    plt.close(show_snapshots(history))


def test_training_restores_the_thread_count(digits):
    before = torch.get_num_threads()
    generator, discriminator = make_gan("mlp", z_dim=4)
    train_gan(generator, discriminator, digits, GANConfig(steps=1, batch_size=4, threads=1), progress=False)
    assert torch.get_num_threads() == before


def test_the_generator_runs_forward_once_per_step(digits):
    """The generator step reuses the discriminator step's fakes (with d_steps=0 it draws its own)."""
    torch.manual_seed(0)
    generator, discriminator = make_gan("mlp", z_dim=16)
    calls = []
    generator.register_forward_hook(lambda module, args, out: calls.append(out.requires_grad))
    for d_steps, expected in ((1, 3), (2, 6), (0, 3)):
        calls.clear()
        train_gan(generator, discriminator, digits, GANConfig(steps=3, batch_size=8, d_steps=d_steps,
                                                              snapshot_steps=()), progress=False)
        assert len(calls) == expected and all(calls)  # every fake keeps its graph for the generator step


def test_frozen_skips_the_weights_gradients_but_not_the_inputs_and_restores_them():
    torch.manual_seed(0)
    generator, discriminator = make_gan("dcgan")
    discriminator.model[0].bias.requires_grad_(False)  # a weight the learner froze stays frozen afterwards
    z = torch.randn(4, generator.z_dim, requires_grad=True)
    plain = g_loss(discriminator.logits(generator(z)))
    plain_grads = torch.autograd.grad(plain, [z, *generator.parameters()])
    discriminator.zero_grad(set_to_none=True)
    with frozen(discriminator):
        judged = discriminator.logits(generator(z))
    g_loss(judged).backward()
    assert all(p.grad is None for p in discriminator.parameters())
    # the generator's gradient is the one it gets through an unfrozen D (the same kernels, to rounding)
    for got, expected in zip([z.grad, *(p.grad for p in generator.parameters())], plain_grads):
        torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-7)
    assert [p.requires_grad for p in discriminator.parameters()] == \
        [p is not discriminator.model[0].bias for p in discriminator.parameters()]
    with pytest.raises(RuntimeError, match="inside"):
        with frozen(discriminator):
            raise RuntimeError("inside")
    assert discriminator.model[2].weight.requires_grad
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        with frozen("discriminator"):
            pass


def test_frozen_discriminator_with_d_steps_zero(digits):
    torch.manual_seed(0)
    generator, discriminator = make_gan("mlp", z_dim=16)
    before = _params(discriminator)
    train_gan(generator, discriminator, digits, GANConfig(steps=3, batch_size=8, d_steps=0), progress=False)
    assert torch.equal(before, _params(discriminator))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"batch_size": 0}, "batch_size"),
        ({"steps": 0}, "steps"),
        ({"lr_g": 0.0}, "lr_g"),
        ({"real_label": 0.3}, "real_label"),
        ({"generator_loss": "hinge"}, "generator_loss"),
        ({"snapshot_steps": (5,), "steps": 4}, "snapshot_steps"),
        ({"d_steps": -1}, "d_steps"),
        ({"threads": 0}, "threads"),
    ],
)
def test_bad_config_is_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        GANConfig(**kwargs)


def test_bad_training_images_are_rejected():
    generator, discriminator = make_gan("mlp", z_dim=4)
    config = GANConfig(steps=1)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        train_gan(generator, discriminator, torch.rand(8, 1, 28, 28) * 2 - 1, config, progress=False)
    with pytest.raises(ValueError, match="shape"):
        train_gan(generator, discriminator, torch.rand(8, 784), config, progress=False)
    with pytest.raises(TypeError, match="GANConfig"):
        train_gan(generator, discriminator, torch.rand(8, 1, 28, 28), {"steps": 1}, progress=False)


# ---- sampling and latent paths -------------------------------------------------------


def test_sample_is_seeded_and_in_unit_range():
    torch.manual_seed(0)
    generator = DCGANGenerator(8)
    a, b = sample(generator, 12, seed=5), sample(generator, 12, seed=5)
    assert a.shape == (12, 1, 28, 28) and torch.equal(a, b)
    assert a.min() >= 0 and a.max() <= 1
    assert not torch.equal(a, sample(generator, 12, seed=6))
    assert generator.training  # sample() restores the mode it found
    with pytest.raises(ValueError, match="n"):
        sample(generator, 0)
    with pytest.raises(ValueError, match="batch_size"):
        sample(generator, 4, batch_size=0)


def test_slerp_keeps_the_ends_and_the_norm():
    z0, z1 = latents(2, 64, seed=0)
    z1 = z1 / z1.norm() * z0.norm()
    path = slerp(z0, z1, torch.linspace(0, 1, 5))
    assert path.shape == (5, 64)
    assert torch.allclose(path[0], z0, atol=1e-5) and torch.allclose(path[-1], z1, atol=1e-5)
    assert torch.allclose(path.norm(dim=1), z0.norm().expand(5), rtol=1e-4)
    assert torch.allclose(slerp(z0, z0, 0.3), z0, atol=1e-5)  # parallel vectors: no division by zero
    with pytest.raises(ValueError, match="z0 and z1"):
        slerp(z0, z1[:10], 0.5)


def test_interpolate_and_the_latent_picture():
    torch.manual_seed(0)
    generator = Generator(8)
    z0, z1 = latents(2, 8, seed=1)
    images = interpolate(generator, z0, z1, steps=6)
    assert images.shape == (6, 1, 28, 28)
    # a batch of 6 and a batch of 1 may take different matmul kernels: equal up to float32 rounding
    assert torch.allclose(images[0], sample(generator, z=z0[None])[0], atol=1e-5)
    with pytest.raises(ValueError, match="steps"):
        interpolate(generator, z0, z1, steps=1)
    import matplotlib.pyplot as plt

    fig = show_latent_mix(generator, 0, 1, 0.25)
    assert len(fig.axes) == 3
    plt.close(fig)
    with pytest.raises(ValueError, match="t must be"):
        show_latent_mix(generator, 0, 1, 1.5)


def test_latent_widget_redraws_when_a_control_moves():
    import matplotlib.pyplot as plt

    from aigc_course.widgets.gan import latent_mixer

    torch.manual_seed(0)
    box = latent_mixer(Generator(8), max_seed=5)
    (seed_a, seed_b), (t, spherical), out = box.children[0].children, box.children[1].children, box.children[2]
    assert (seed_a.max, t.value, spherical.value) == (5, 0.5, True)
    t.value = 0.8  # must not raise
    seed_b.value = 3
    plt.close("all")
    with pytest.raises(ValueError, match="max_seed"):
        latent_mixer(Generator(8), max_seed=0)
