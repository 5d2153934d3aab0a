"""Installing coach-xblock never changes the platform's own Python, Django or XBlock.

Open edX pins its Django and XBlock in edx-platform's requirements/edx/base.txt, one file per
release branch; pip installs our package beside them (Tutor: OPENEDX_EXTRA_PIP_REQUIREMENTS), and
a requirement of ours that those pins do not meet makes pip upgrade the platform's XBlock under it.
The pins below are those of the supported releases (the README's compatibility table):
- Ulmo (previous, Tutor 21): release/ulmo, built on Python 3.11 (tutor v21's Dockerfile,
  PYTHON_VERSION 3.11.8), Django 5.2 (Ulmo.1 shipped 5.2.7), XBlock 5.2 (5.3 came out after the release);
- Verawood (current, Tutor 22): release/verawood, Python 3.12 only (its sandbox README: "Drops support for
  Python 3.11"; tutor's verawood Dockerfile: 3.12.13), Django 5.2, XBlock 6.0 or 6.1 (the XBlock
  releases of its cut, spring 2026: XBlock 6.0 dropped Python 3.11);
- the next release (master): Python 3.12, Django 5.2, XBlock 6.3.

`make test` also runs the suite on the oldest combination (.venv: requirements/oldest.txt) and on the
newest (.venv-newest); these checks say that the package's own metadata lets pip keep every pin.
"""
from importlib.metadata import metadata, requires

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

RELEASES = {
    "Ulmo": {"python": "3.11.8", "Django": "5.2.7", "XBlock": "5.2.0"},
    "Ulmo, later point releases": {"python": "3.11.8", "Django": "5.2.11", "XBlock": "5.3.0"},
    "Verawood": {"python": "3.12.13", "Django": "5.2.12", "XBlock": "6.0.0"},
    "Verawood, XBlock 6.1": {"python": "3.12.13", "Django": "5.2.12", "XBlock": "6.1.0"},
    "next": {"python": "3.12.13", "Django": "5.2.12", "XBlock": "6.3.4"},
}


def declared():
    """The package's requirements on the platform's packages, by name, as pip reads them."""
    found = {}
    for line in requires("coach-xblock"):
        requirement = Requirement(line)
        if requirement.marker is None:
            found[requirement.name.lower()] = requirement.specifier
    return found


@pytest.mark.parametrize("release", RELEASES)
def test_the_pins_of_each_supported_release_satisfy_our_requirements(release):
    pins = RELEASES[release]
    requirements = declared()
    assert Version(pins["Django"]) in requirements["django"], (release, requirements["django"])
    assert Version(pins["XBlock"]) in requirements["xblock"], (release, requirements["xblock"])
    assert Version(pins["python"]) in SpecifierSet(metadata("coach-xblock")["Requires-Python"])


def test_a_major_release_not_tested_yet_is_not_admitted():
    requirements = declared()
    assert Version("7.0.0") not in requirements["xblock"]
    assert Version("6.0") not in requirements["django"]


def test_the_platforms_own_nh3_satisfies_ours():
    """edx-platform's requirements/edx/base.txt (master) pins nh3==0.3.2 (it and xblocks-contrib use it)
    and no markdown-it-py or linkify-it-py: ours must admit that nh3, and the oldest we run on, 0.2.15."""
    requirements = declared()
    assert Version("0.3.2") in requirements["nh3"]
    assert Version("0.2.15") in requirements["nh3"]
    assert Version("3.0.0") in requirements["markdown-it-py"]
