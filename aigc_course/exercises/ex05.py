"""Checkers for notebook 05 (GANs). Reference solutions and known-wrong answers: ``solutions/ex05.py``.

Each checker tries cases a plausible wrong answer fails (confident logits of ±60 and
beyond, empty classes, equal and unequal spreads) and, when the answer is wrong,
recognises the usual mistakes by their values and names the one that was made.
"""

from __future__ import annotations

import math

from . import NotYet, as_number, exercise


def _call(fn, *args):
    if not callable(fn):
        raise NotYet(f"the answer should be a function, got {type(fn).__name__}")
    return fn(*args)


def _close(a: float, b: float, rel: float = 1e-4) -> bool:
    return math.isfinite(a) and math.isfinite(b) and abs(a - b) <= rel * max(1.0, abs(b))


def _loss_value(loss, what: str = "the loss") -> float:
    """A loss as a Python float: a 0-d tensor, a NumPy scalar or a number; a batch of losses is refused."""
    import torch

    if isinstance(loss, torch.Tensor) and loss.numel() > 1:
        raise NotYet(f"{what} should be one number for the whole batch, got a tensor of shape {tuple(loss.shape)}: "
                     "average the per-image losses")
    return as_number(loss, what)


def _few(logits) -> str:
    """The first few logits of a case, rounded, for a message."""
    shown = ", ".join(f"{v:g}" for v in logits[:4].double().round(decimals=2).tolist())
    return f"[{shown}{', ...' if len(logits) > 4 else ''}]"


# --------------------------------------------------------------------------------------
# 05.1
# --------------------------------------------------------------------------------------


@exercise("05.1", "the discriminator loss from logits",
          hints=("Write log D(x) and log(1 - D(G(z))) in terms of the logit l itself, without computing sigmoid(l) "
                 "and then its log: section 2 shows which PyTorch function does that.",
                 "log sigmoid(l) = -softplus(-l) and log(1 - sigmoid(l)) = -softplus(l); F.softplus is finite for "
                 "any logit. Average each half over its own batch, then add the two.",
                 "return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean(), or the same with "
                 "F.binary_cross_entropy_with_logits(real_logits, ones) + (fake_logits, zeros)."))
def _(answer) -> str:
    import torch
    import torch.nn.functional as F

    g = torch.Generator().manual_seed(4)
    cases = [(torch.randn(16, generator=g), torch.randn(16, generator=g)),
             (torch.tensor([3.0, -2.0, 0.5, 1.0]), torch.tensor([-1.0, 4.0, 0.0, 2.5])),
             # a confident discriminator: real logits near +60, fake logits near -60 (and one very wrong one)
             (torch.tensor([60.0, 55.0, -40.0]), torch.tensor([-60.0, -55.0, 45.0])),
             # real and fake batches of different sizes: one mean over both together is not the same
             (torch.tensor([1.5, -0.5]), torch.tensor([0.5, -3.0, 2.0, 1.0, -1.0, 0.0]))]
    for real, fake in cases:
        real_part = F.softplus(-real).mean().item()   # -mean log D(x)
        fake_part = F.softplus(fake).mean().item()    # -mean log(1 - D(G(z)))
        expected = real_part + fake_part
        got = _loss_value(_call(answer, real.clone(), fake.clone()))
        shown = f"for real logits {_few(real)} and fake logits {_few(fake)}"
        if _close(got, expected):
            continue
        if not math.isfinite(got):
            raise NotYet(f"{shown} your loss is {got}: sigmoid rounds to exactly 0 or 1 for such logits and its "
                         "log is -inf; stay in logit space instead of taking the log of sigmoid")
        swapped = F.softplus(real).mean().item() + F.softplus(-fake).mean().item()
        pooled = torch.cat([F.softplus(-real), F.softplus(fake)]).mean().item()
        summed = F.softplus(-real).sum().item() + F.softplus(fake).sum().item()
        if _close(got, swapped):
            raise NotYet(f"{shown} you get {got:.5f}: the labels are swapped, real images must be labelled 1 "
                         "(D(x) -> 1) and fakes 0")
        if _close(got, -expected):
            raise NotYet(f"{shown} you get {got:.5f}, the right value with the wrong sign: a loss is the "
                         "negative log-likelihood, which the discriminator minimises")
        if _close(got, real_part):
            raise NotYet(f"{shown} you get {got:.5f}: only the real-image term; the fake-image term is missing")
        if _close(got, fake_part):
            raise NotYet(f"{shown} you get {got:.5f}: only the fake-image term; the real-image term is missing")
        if _close(got, summed):
            raise NotYet(f"{shown} you get {got:.5f}: summed over the images; each term is a mean over its batch")
        if _close(got, pooled):
            raise NotYet(f"{shown} you get {got:.5f}: one mean over the real and fake images pooled together; "
                         "each half is averaged over its own batch and the two means are added")
        raise NotYet(f"{shown} expected {expected:.5f} nats, got {got:.5f} (mean over each batch, real + fake)")
    return "Finite even for logits of ±60, where sigmoid rounds to exactly 0 or 1."


# --------------------------------------------------------------------------------------
# 05.2
# --------------------------------------------------------------------------------------


@exercise("05.2", "the non-saturating generator loss",
          hints=("The generator wants the discriminator to call its fakes real: which label does it want D to give "
                 "them, and which log-probability should it therefore maximise?",
                 "It maximises log D(G(z)), i.e. minimises its negative; write it from the logit (as in 05.1) so that "
                 "it stays finite when D is sure the fakes are fake.",
                 "return F.softplus(-fake_logits).mean(), the same as "
                 "F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))."))
def _(answer) -> str:
    import torch
    import torch.nn.functional as F

    cases = (torch.tensor([0.5, 1.0, -2.0]), torch.tensor([-8.0, -12.0, -20.0]), torch.tensor([-50.0, 3.0]),
             torch.tensor([-120.0, -110.0, 0.5, 2.0]))  # D utterly sure: sigmoid(-120) is 0 in float32
    for logits in cases:
        x = logits.clone().requires_grad_(True)
        loss = _call(answer, x)
        got = _loss_value(loss)
        expected = F.softplus(-logits).mean().item()
        shown = f"for fake logits {logits.tolist()}"
        if not _close(got, expected):
            if not math.isfinite(got):
                raise NotYet(f"{shown} your loss is {got}: the log of sigmoid(l) is -inf once sigmoid rounds to 0; "
                             "compute it from the logit directly")
            if _close(got, F.softplus(logits).mean().item()):
                raise NotYet(f"{shown} you get {got:.5f}: that is the loss with the fakes labelled 0 (fake), the "
                             "discriminator's target; the generator wants D to label its fakes 1 (real)")
            if _close(got, -F.softplus(logits).mean().item()):
                raise NotYet(f"{shown} you get {got:.5f}: that is the minimax (saturating) form log(1 - D(G(z))), "
                             "whose gradient vanishes when D rejects the fakes")
            if _close(got, -expected):
                raise NotYet(f"{shown} you get {got:.5f}, the right value with the wrong sign: minimising it "
                             "would push D(G(z)) towards 0")
            if _close(got, F.softplus(-logits).sum().item()):
                raise NotYet(f"{shown} you get {got:.5f}: summed over the batch; the loss is a mean")
            if logits.min() < -100:
                raise NotYet(f"{shown} you get {got:.5f} instead of {expected:.5f}: right for ordinary logits but "
                             "not where D is utterly sure the fakes are fake; a clamp or an epsilon inside the log "
                             "changes the value there")
            raise NotYet(f"{shown} expected {expected:.5f} nats, got {got:.5f}")
        if not isinstance(loss, torch.Tensor) or loss.grad_fn is None:
            raise NotYet("the value is right but it is cut off from the computation graph (a Python number, "
                         ".item(), .detach() or torch.tensor(...)): no gradient would reach the generator; "
                         "return the tensor the torch operations produce")
        loss.backward()
        if x.grad is None or not torch.allclose(x.grad, -torch.sigmoid(-logits) / len(logits), atol=1e-5):
            raise NotYet(f"{shown} the value is right but its gradient is not: some step is not a differentiable "
                         "torch operation (a clamp, a rounding or a NumPy detour)")
    return "When D rejects a fake (logit -20) the gradient is still about -1 per sample, not ~0."


# --------------------------------------------------------------------------------------
# 05.3
# --------------------------------------------------------------------------------------


@exercise("05.3", "Fréchet distance between two 1-D Gaussians",
          hints=("In one dimension every covariance matrix is a single number, the variance sigma²; the matrix "
                 "square root of a product of two such numbers is an ordinary square root.",
                 "Write tr(S1 + S2 - 2 (S1 S2)^(1/2)) with S = sigma² and simplify: it is a perfect square.",
                 "(mu1 - mu2)**2 + (sigma1 - sigma2)**2; sigma is the standard deviation."))
def _(answer) -> str:
    for mu1, s1, mu2, s2 in [(0.0, 1.0, 0.0, 1.0), (3.0, 0.1, 0.5, 4.0), (0.0, 2.0, 0.0, 0.5), (1.0, 1.0, -1.0, 1.0)]:
        expected = (mu1 - mu2) ** 2 + (s1 - s2) ** 2
        got = as_number(_call(answer, mu1, s1, mu2, s2), "the distance")
        if _close(got, expected, 1e-6):
            continue
        shown = f"for N({mu1}, {s1}²) and N({mu2}, {s2}²) you get {got:.4f}"
        mean_term = (mu1 - mu2) ** 2
        if _close(got, mean_term + (s1 ** 2 - s2 ** 2) ** 2, 1e-6):
            raise NotYet(f"{shown}: you compared the variances sigma² where the formula, after the square root, "
                         "compares the standard deviations")
        if _close(got, mean_term + s1 ** 2 + s2 ** 2 - s1 * s2, 1e-6):
            raise NotYet(f"{shown}: the cross term of the trace lost its factor 2")
        if _close(got, abs(mu1 - mu2) + abs(s1 - s2), 1e-6):
            raise NotYet(f"{shown}: differences taken as absolute values; the Fréchet distance squares them")
        if _close(got, math.sqrt(expected), 1e-6):
            raise NotYet(f"{shown}: that is the square root; FID is the squared distance, no root at the end")
        if _close(got, mean_term, 1e-6):
            raise NotYet(f"{shown}: only the mean term; two Gaussians with the same mean but different spreads "
                         "must be at a positive distance")
        raise NotYet(f"{shown}, expected {expected:.4f}")
    return "tr(S1 + S2 - 2 (S1 S2)^1/2) is (s1 - s2)^2 in one dimension."


# --------------------------------------------------------------------------------------
# 05.4
# --------------------------------------------------------------------------------------


@exercise("05.4", "KL divergence of a class histogram from uniform",
          hints=("Turn the counts into probabilities first; the uniform distribution gives each of the 10 digits "
                 "the same probability.",
                 "Use the definition of KL(p ‖ q) from section 4 with q the uniform distribution, in natural "
                 "logarithms; a digit that never appears (p = 0) adds nothing to the sum.",
                 "p = counts / total; KL(p ‖ u) = sum over the digits with p > 0 of p * ln(p / (1/10))."))
def _(answer) -> str:
    cases = [[100] * 10, [1000] + [0] * 9, [50, 50, 0, 0, 0, 0, 0, 0, 0, 0], [30, 10, 10, 10, 10, 10, 10, 5, 5, 0],
             # a healthy-looking DCGAN histogram of 1,000 samples: one rare digit, one frequent one
             [112, 11, 104, 96, 118, 93, 105, 121, 131, 109]]
    for counts in cases:
        total = sum(counts)
        p = [c / total for c in counts]
        expected = sum(q * math.log(q * 10) for q in p if q)
        shown = f"for counts {counts}"
        try:
            got = as_number(_call(answer, list(counts)), "the KL divergence")
        except (ValueError, ZeroDivisionError) as error:
            if 0 in counts:
                raise NotYet(f"{shown} your function raised {type(error).__name__} ({error}): an empty class "
                             "reached log(0); empty classes add 0 to the sum, skip them") from None
            raise
        if _close(got, expected, 1e-6):
            continue
        if math.isnan(got) and 0 in counts:
            raise NotYet(f"{shown} you get nan: an empty class gave 0 * log(0); empty classes add 0 to the sum, "
                         "skip them")
        entropy = -sum(q * math.log(q) for q in p if q)
        if _close(got, expected / math.log(2), 1e-6):
            raise NotYet(f"{shown} you get {got:.5f}: that is in bits (log base 2); the course measures in nats "
                         "(natural log)")
        if _close(got, entropy, 1e-6):
            raise NotYet(f"{shown} you get {got:.5f}: that is the entropy H(p) of the histogram, not its KL "
                         "divergence from uniform (it is largest, not 0, for a uniform histogram)")
        if _close(got, sum(0.1 * math.log(0.1 / q) for q in p if q), 1e-6):
            raise NotYet(f"{shown} you get {got:.5f}: that is KL(uniform ‖ p), the two distributions swapped; "
                         "the expectation is over p, the generator's histogram")
        if _close(got, sum(c * math.log(c * 10) for c in counts if c), 1e-6) or \
                _close(got, sum(c * math.log(c / 0.1) for c in counts if c), 1e-6):
            raise NotYet(f"{shown} you get {got:.5f}: you used the raw counts as probabilities; divide by the "
                         "total first")
        raise NotYet(f"{shown} expected {expected:.5f} nats, got {got:.5f}")
    return "A collapsed generator (one digit only) scores ln 10 ≈ 2.303 nats; all ten equally common score 0."
