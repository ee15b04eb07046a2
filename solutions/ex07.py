"""Reference solutions for notebook 07 (diffusion models)."""


def add_noise(x0, noise, alpha_bar):
    # the mean keeps sqrt(alpha_bar) of the signal; the noise has variance 1 - alpha_bar
    return alpha_bar ** 0.5 * x0 + (1 - alpha_bar) ** 0.5 * noise


def ddim_step(x_t, eps, alpha_bar_t, alpha_bar_prev):
    # undo the noising with the predicted noise, then re-noise to the next (lower) level along it
    x0 = (x_t - (1 - alpha_bar_t) ** 0.5 * eps) / alpha_bar_t ** 0.5
    return alpha_bar_prev ** 0.5 * x0 + (1 - alpha_bar_prev) ** 0.5 * eps


def guide(eps_cond, eps_uncond, scale):
    return eps_uncond + scale * (eps_cond - eps_uncond)


SOLUTIONS = {
    "07.1": add_noise,
    "07.2": ddim_step,
    "07.3": guide,
}

WRONG = {
    "07.1": [
        (lambda x0, noise, a: a * x0 + (1 - a) * noise, "those are the variances"),
        (lambda x0, noise, a: a ** 0.5 * x0 + (1 - a) * noise, "scaled by 1 - alpha_bar"),
        (lambda x0, noise, a: (1 - a) ** 0.5 * x0 + a ** 0.5 * noise, "swapped"),
        (lambda x0, noise, a: x0 + (1 - a) ** 0.5 * noise, "x0 is not scaled down"),
    ],
    "07.2": [
        (lambda x_t, eps, a, a_prev: (x_t - (1 - a) ** 0.5 * eps) / a ** 0.5, "you return the predicted x0"),
        (lambda x_t, eps, a, a_prev: a_prev ** 0.5 * (x_t - (1 - a) ** 0.5 * eps) / a ** 0.5,
         "the noise direction is missing"),
        (lambda x_t, eps, a, a_prev: a ** 0.5 * (x_t - (1 - a_prev) ** 0.5 * eps) / a_prev ** 0.5
         + (1 - a) ** 0.5 * eps, "swapped"),
    ],
    "07.3": [
        (lambda c, u, s: c + s * (c - u), "the paper's (1 + w) form"),
        (lambda c, u, s: c + s * (u - c), "the direction is reversed"),
        (lambda c, u, s: s * c, "the unconditional prediction is missing"),
        (lambda c, u, s: u + s * c, "not eps_cond itself"),
    ],
}
