"""JupyterHub's local-process spawner, with the learner's home made private and their limits applied.

Everything else is JupyterHub's own :class:`~jupyterhub.spawner.LocalProcessSpawner`: the
server runs as the learner's system account, in their home, and its process id is kept in the
hub's database, so a restarted hub finds the servers still running and serves them again.
"""

from __future__ import annotations

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from traitlets import Float, Int

from .accounts import make_home_private
from .limits import CgroupLimits, detect

__all__ = ["CourseSpawner"]


class CourseSpawner(LocalProcessSpawner):
    """A learner's server: home mode 0700, and memory and CPU limits when the machine has control groups."""

    memory_bytes = Int(0, config=True, help="memory per learner in bytes, server and kernels together; 0: none")
    cpus = Float(0.0, config=True, help="CPU cores per learner; 0: none")

    def _cgroups(self) -> CgroupLimits | None:
        found = detect()
        return found if isinstance(found, CgroupLimits) and (self.memory_bytes or self.cpus) else None

    async def start(self):
        make_home_private(self.user.name)
        groups = self._cgroups()
        if groups is not None:
            groups.prepare(self.user.name, self.memory_bytes, self.cpus)
        return await super().start()

    def make_preexec_fn(self, name):
        """Join the learner's control groups (still as root), then become the learner."""
        become_learner = set_user_setuid(name)
        groups = self._cgroups()

        def preexec() -> None:
            if groups is not None:
                groups.join(name)
            become_learner()

        return preexec
