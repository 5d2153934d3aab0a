"""Packaging for coach-xblock: the XBlock and the Django app that stores its requests."""
from setuptools import find_packages, setup

setup(
    name="coach-xblock",
    version="0.1.0",
    description="Coach check-in points for Open edX: learners ask, course coaches answer.",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="AGPL-3.0",
    python_requires=">=3.11",
    packages=find_packages(include=["coach_xblock", "coach_xblock.*"]),
    include_package_data=False,
    package_data={
        "coach_xblock": [
            "static/html/*.html",
            "static/js/*.js",
            "static/css/*.css",
            "templates/coach_xblock/emails/*",
            "locale/*/LC_MESSAGES/*.po",
            "locale/*/LC_MESSAGES/*.mo",
        ],
    },
    install_requires=[
        # What Open edX Ulmo (Python 3.11), Verawood and the next release (Python 3.12) pin: never an
        # upgrade of the platform's own XBlock or Django (see the README's compatibility table).
        "XBlock[django]>=5.2,<7",
        "Django>=5.2,<6",
        "lxml",
        "requests",
        # Messages in Markdown (coach_xblock/formatting.py). edx-platform's requirements/edx/base.txt (master,
        # Python 3.11 build, read for issue 11) pins nh3==0.3.2 (edx-platform and xblocks-contrib use it) and
        # no markdown-it-py, linkify-it-py, mdurl or uc-micro-py (its Markdown is Python-Markdown 3.10, another
        # package); the release branches' files are not in our index. So: nh3 from 0.2.15 (the first with
        # set_tag_attribute_values), below 1; markdown-it-py 3 or 4 with its linkify extra.
        "markdown-it-py[linkify]>=3,<5",
        "nh3>=0.2.15,<1",
    ],
    extras_require={
        "workbench": ["xblock-sdk", "setuptools<81"],
        "celery": ["celery>=5.3"],
    },
    entry_points={
        "xblock.v1": ["coach_checkin = coach_xblock.block:CoachCheckinBlock"],
        "lms.djangoapp": ["coach_xblock = coach_xblock.apps:CoachXBlockConfig"],
        "cms.djangoapp": ["coach_xblock = coach_xblock.apps:CoachXBlockConfig"],
        "openedx.course_tab": [
            "coach_desk = coach_xblock.tab:CoachDeskTab",
            "coach_journal = coach_xblock.tab:CoachJournalTab",
        ],
    },
    classifiers=[
        "Framework :: Django",
        "Framework :: Django :: 5.2",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
    ],
)
