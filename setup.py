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
    ],
    extras_require={
        "workbench": ["xblock-sdk", "setuptools<81"],
        "celery": ["celery>=5.3"],
    },
    entry_points={
        "xblock.v1": ["coach_checkin = coach_xblock.block:CoachCheckinBlock"],
        "lms.djangoapp": ["coach_xblock = coach_xblock.apps:CoachXBlockConfig"],
        "cms.djangoapp": ["coach_xblock = coach_xblock.apps:CoachXBlockConfig"],
        "openedx.course_tab": ["coach_desk = coach_xblock.tab:CoachDeskTab"],
    },
    classifiers=[
        "Framework :: Django",
        "Framework :: Django :: 5.2",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
    ],
)
