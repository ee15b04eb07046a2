"""The classroom server: the course on JupyterHub for a whole class, on one machine.

JupyterHub does the multi-user work (log-in, one Jupyter server per learner, the admin page,
the proxy in front); this package only configures it for the course and adds what a class
needs around it:

- :mod:`.settings`: ``hub/classroom.toml``, the one file a teacher edits (ports, teacher,
  edition, memory and CPU per learner, idle time), read and checked;
- :mod:`.accounts`: learners' system accounts (a private home each, a password of their own)
  and the roster JupyterHub allows to log in;
- :mod:`.limits`: memory and CPU limits per learner with Linux control groups, where the
  machine has them;
- :mod:`.hub_config`: JupyterHub's configuration built from the settings (authenticator,
  spawner, idle culler, roles);
- :mod:`.spawner`: JupyterHub's local-process spawner with the limits applied;
- :mod:`.singleuser`: what runs as the learner at each server start: the course copied or
  updated in their home without overwriting their work (:mod:`aigc_course.course_copy`),
  then JupyterHub's single-user server;
- :mod:`.environment`: the Python learners' servers run with, one every account can run;
- :mod:`.processes`: the proxy and the hub started, stopped and restarted;
- :mod:`.command`: ``aigc-course hub serve|add|password|list|env``, what ``make hub`` runs;
- :mod:`.client` and :mod:`.loadtest`: learners as the server sees them, and a whole class on a
  throw-away classroom (the load test and ``benchmarks/classroom.py``).

Only :mod:`.hub_config` and :mod:`.spawner` import JupyterHub, and :mod:`.client` ``requests``
and ``websocket-client``; the rest is the standard library.
"""
