"""The GAN lesson's image shape and the bounds on its sizes (a typo such as ``steps=10**9`` is refused at once)."""

IMAGE_SHAPE = (1, 28, 28)
IMAGE_SIZE = 28 * 28

#: Upper bounds on sizes, so that a typo such as ``steps=10**9`` is refused at once
#: instead of running for days or exhausting memory.
MAX_STEPS = 1_000_000         # training steps (the lesson uses 1,800)
MAX_BATCH_SIZE = 65_536       # images per batch
MAX_SAMPLES = 100_000         # images drawn by one call of :func:`sample` / :func:`latents` (~310 MB)
MAX_Z_DIM = 4_096             # latent dimensions (the lesson uses 100)
MAX_CHANNELS = 512            # DCGAN width (the lesson uses 32)
MAX_D_STEPS = 100             # discriminator updates per generator update
MAX_THREADS = 256             # CPU threads while training
MAX_SNAPSHOT = 1_024          # images in one snapshot grid
MAX_SNAPSHOTS = 1_000         # snapshot grids kept during one training run
MAX_PATH_STEPS = 1_000        # images along one latent path
MAX_LR = 1.0                  # Adam learning rate (the lesson uses 2e-4)
MAX_SEED = 2**32 - 1          # what :func:`aigc_course.config.seed_everything` accepts

