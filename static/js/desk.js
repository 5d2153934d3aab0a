/* The coach desk's pages work without this script; it makes them quicker to use: times and numbers in
   the viewer's zone and language (static/js/l10n.js), the claim's countdown, one submit per click. */
(function () {
    'use strict';
    var gettext = (window.CoachCheckinI18N && window.CoachCheckinI18N.gettext) || function (text) { return text; };
    var interpolate = (window.CoachCheckinI18N && window.CoachCheckinI18N.interpolate) || function (text, values) {
        return text.replace(/%\((\w+)\)s/g, function (match, name) { return values[name]; });
    };

    /* "12 min left on your claim", every few seconds, until it ends. */
    function countdown(element) {
        var until = Date.parse(element.getAttribute('data-until'));
        function draw() {
            var left = Math.max(0, Math.round((until - Date.now()) / 60000));
            element.textContent = left > 0 ?
                interpolate(gettext('%(minutes)s min left on your claim'), {minutes: left}, true) :
                gettext('Your claim has ended: claim the request again to answer it.');
            if (left <= 0) {
                window.clearInterval(timer);
            }
        }
        var timer = window.setInterval(draw, 15000);
        draw();
    }

    /* A form sent once: its button says it works and ignores a second click. */
    function oneSubmit(form) {
        form.addEventListener('submit', function (event) {
            if (form.getAttribute('data-sent')) {
                event.preventDefault();
                return;
            }
            form.setAttribute('data-sent', '1');
            var button = form.querySelector('button[type=submit]');
            if (button) {
                button.setAttribute('aria-disabled', 'true');
            }
        });
    }

    /* Saved replies: the one chosen goes into the answer where the cursor is, replacing any selection;
       without this script, their texts are shown below the form to copy. */
    function replyPicker(picker) {
        var answer = document.getElementById(picker.getAttribute('data-target'));
        var select = picker.querySelector('select');
        if (!answer || !select) {
            return;
        }
        picker.hidden = false;
        picker.querySelector('.coach-reply-insert').addEventListener('click', function () {
            var source = document.querySelector('.coach-saved-reply-text[data-reply-id="' + select.value + '"] .coach-body');
            if (!source) {
                return;
            }
            answer.setRangeText(source.textContent, answer.selectionStart, answer.selectionEnd, 'end');
            answer.dispatchEvent(new Event('input', {bubbles: true}));
            answer.focus();
        });
    }

    window.CoachCheckinL10n.localize(document.querySelector('.coach-desk'));
    document.querySelectorAll('.coach-countdown').forEach(countdown);
    document.querySelectorAll('.coach-reply-picker').forEach(replyPicker);
    document.querySelectorAll('form[method=post]').forEach(oneSubmit);
    var error = document.querySelector('.coach-error[role=alert]');
    if (error) {
        error.focus();
    }
}());
