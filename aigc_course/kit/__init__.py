"""The offline kit: every wheel the course needs in one folder, for classrooms with no internet.

A teacher builds the kit once on a machine with a network (``make wheelhouse``), carries the
folder on a USB stick, and installs each laptop from it with the network off
(``make install-offline WHEELHOUSE=/media/usb/wheelhouse``).

- :mod:`.manifest`: ``MANIFEST.json`` (every file's name, size in bytes and SHA-256) written and checked;
- :mod:`.build`: the kit built with ``pip download`` and ``pip wheel``;
- :mod:`.install`: ``.venv`` created from the kit alone, after the manifest is checked;
- :mod:`.command`: ``aigc-course wheelhouse build|verify|install``.

Everything here uses the standard library only, so the system Python runs it before any
``.venv`` exists (``python3 -m aigc_course.cli wheelhouse ...``, as the Makefile does).
"""
