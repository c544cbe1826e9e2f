"""Build hook: a wheel carries the .mo catalogues Django reads, compiled from the .po files
translators edit (the .mo are not kept in git). polib compiles them, so building needs no
GNU gettext; an editable install (`make install`) compiles them in the source tree instead."""

from pathlib import Path

import polib
from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithCatalogues(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        for po in Path(self.build_lib).glob("clusterdesk/locale/*/LC_MESSAGES/*.po"):
            polib.pofile(str(po)).save_as_mofile(str(po.with_suffix(".mo")))


setup(cmdclass={"build_py": BuildPyWithCatalogues})
