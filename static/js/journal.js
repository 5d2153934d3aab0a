/* The learner's coaching journal works without this script; it shows the times and numbers in the viewer's
   zone and language (static/js/l10n.js) and moves the focus to a refused form's reason. */
(function () {
    'use strict';
    var root = document.querySelector('.coach-journal');
    window.CoachCheckinL10n.localize(root);
    var error = root.querySelector('.coach-preferences-form .coach-error');
    if (error) {
        error.focus();
    }
}());
