"""The coach desk: the plugin app's pages where a course's coaches work (in the LMS, and the workbench).

`access` decides who may open a course's desk (through `identity`) and renders its pages; `views`
holds the pages: the course's queue, a request (claim, release, answer), the next request, the
analytics, the course's coach list, and the home page of a coach of several courses. The pages are
plain HTML forms (POST, then a redirect); `static/js/desk.js` only makes them quicker to use.
"""
