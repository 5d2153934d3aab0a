/* Helpers shared by the learner and coach views of the coach check-in XBlock. */
var CoachCheckinCommon = (function () {
    'use strict';

    /* The block's translations (window.CoachCheckinI18N, added by the block before this file). */
    var i18n = window.CoachCheckinI18N || {
        gettext: function (msgid) { return msgid; },
        ngettext: function (singular, plural, count) { return count === 1 ? singular : plural; },
        interpolate: function (format, values) {
            return format.replace(/%\(\w+\)s/g, function (match) {
                return String(values[match.slice(2, -2)]);
            });
        }
    };

    /* Words the scripts show, in the viewer's language. */
    var strings = {
        working: i18n.gettext('Sending…'),
        failed: i18n.gettext('Something went wrong; your text is still here. Try again in a moment.'),
        confirmWithdraw: i18n.gettext('Withdraw this request? A coach will no longer see it.'),
        updated: i18n.gettext('Your requests were updated.'),
        previewing: i18n.gettext('Preparing the preview…'),
        previewTitle: i18n.gettext('Preview: this is how your message will read once sent.'),
        previewEmpty: i18n.gettext('Write something first: there is nothing to preview yet.')
    };

    /* "Request #12: Answered", said when a request's status changes. */
    function requestStatus(number, status) {
        return i18n.interpolate(i18n.gettext('Request #%(number)s: %(status)s'), {number: number, status: status});
    }

    /* "Could not check for news; trying again in 60 seconds.", said when a look for news failed. */
    function pollFailed(seconds, language) {
        return i18n.interpolate(
            i18n.ngettext('Could not check for news; trying again in %(seconds)s second.',
                'Could not check for news; trying again in %(seconds)s seconds.', seconds),
            {seconds: formatNumber(seconds, language)}
        );
    }

    /* "3 requests on this page.", said when the coach queue is shown again. */
    function queueCount(count) {
        return i18n.interpolate(
            i18n.ngettext('%(count)s request on this page.', '%(count)s requests on this page.', count),
            {count: count}
        );
    }

    /* Times and numbers in the viewer's zone and language: static/js/l10n.js, added before this file. */
    var l10n = window.CoachCheckinL10n;
    var localize = l10n.localize;
    var languageOf = l10n.languageOf;
    var formatNumber = l10n.formatNumber;

    /* POST `payload` as JSON to the block's handler `name`; resolves with the JSON answer. */
    function post(runtime, element, name, payload) {
        return $.ajax({
            type: 'POST',
            url: runtime.handlerUrl(element, name),
            data: JSON.stringify(payload || {}),
            contentType: 'application/json; charset=utf-8',
            dataType: 'json'
        });
    }

    /* The message a person reads for a failed call: the server's own, or `fallback`. */
    function errorMessage(xhr, fallback) {
        try {
            var answer = JSON.parse(xhr.responseText);
            if (answer && answer.error) {
                return answer.error;
            }
        } catch (ignored) {
            /* not JSON: a network failure or a server crash */
        }
        return fallback;
    }

    /* Put `text` in the live region `$region` so that screen readers say it, even when it is the
       same text as last time (emptied first, filled a moment later). */
    function announce($region, text) {
        $region.text('');
        window.setTimeout(function () {
            $region.text(text);
        }, 100);
    }

    /* Text compared without case, quotes, non-breaking spaces and a trailing "(optional)". */
    function normalized(text) {
        return $.trim(String(text || '')
            .replace(/[\u00a0\u202f\s]+/g, ' ')
            .replace(/[«»“”"]/g, ''))
            .toLowerCase();
    }

    function withoutParenthesis(text) {
        return $.trim(String(text || '').replace(/\s*\([^()]*\)\s*$/, ''));
    }

    /* The elements of `$container` that belong to it rather than to a form or request inside it. */
    function own($container, selector) {
        return $container.find(selector).filter(function () {
            return $(this).closest('form, .coach-request')[0] === $container[0];
        });
    }

    /* The fields a person fills in `$container`: text boxes, and groups of radio buttons as one field. */
    function fieldsOf($container) {
        return own($container, 'textarea, input[type=url], input[type=text], input[type=checkbox], [role=radiogroup]');
    }

    /* The name a field is shown with: its label or legend, without "(optional)". */
    function labelOf(field) {
        var $field = $(field);
        var text = $field.is('[role=radiogroup]') ? $field.children('legend').first().text() :
            $('label[for="' + field.id + '"]').first().text();
        return withoutParenthesis($.trim(text.replace(/[ \t\r\n]+/g, ' ')));
    }

    /* The field of `$container` an error message is about: the server's (and our own) messages
       start with the field's name, as its label shows it ("<label>: write at least ...") or
       as the server calls it (data-field-name, when the label says it differently). */
    function fieldNamedIn($container, message) {
        var head = normalized(String(message).split(/\s?:\s/)[0]);
        var found = null;
        fieldsOf($container).each(function () {
            var names = [labelOf(this), $(this).attr('data-field-name')];
            for (var i = 0; i < names.length; i += 1) {
                if (names[i] && normalized(names[i]) === head) {
                    found = this;
                    return false;
                }
            }
            return true;
        });
        return found;
    }

    var errorIds = 0;

    function describedBy($field) {
        return $.grep(($field.attr('aria-describedby') || '').split(/\s+/), function (id) { return id; });
    }

    /* Forget the error marks of `$container`'s fields. */
    function clearInvalid($container, errorId) {
        fieldsOf($container).filter('[aria-invalid]').each(function () {
            var $field = $(this);
            var ids = $.grep(describedBy($field), function (id) { return id !== errorId; });
            $field.removeAttr('aria-invalid');
            if (ids.length) {
                $field.attr('aria-describedby', ids.join(' '));
            } else {
                $field.removeAttr('aria-describedby');
            }
        });
    }

    /* Show `message` in the error region of `$container` (a form, or a request for its buttons).
       When the message names one of its fields, that field is marked invalid, described by the
       message, and the message is placed right under it. Returns what should take the focus: the
       field named, or else the message itself (null when `message` is empty). */
    function showError($container, message) {
        var $error = own($container, '.coach-error').first();
        if (!$error.length) {
            return null;
        }
        if (!$error.attr('id')) {
            errorIds += 1;
            $error.attr('id', 'coach-error-' + errorIds);
        }
        var errorId = $error.attr('id');
        clearInvalid($container, errorId);
        if (!message) {
            $error.text('').prop('hidden', true);
            return null;
        }
        var field = fieldNamedIn($container, message);
        if (!field) {
            $error.text(message).prop('hidden', false);
            return $error;
        }
        var $field = $(field);
        var $hint = $(document.getElementById(describedBy($field)[0] || '')).filter('.coach-hint');
        $error.insertAfter($hint.length ? $hint : $field);
        $field.attr('aria-invalid', 'true').attr('aria-describedby', [errorId].concat(describedBy($field)).join(' '));
        $error.text(message).prop('hidden', false);
        return $field.is('[role=radiogroup]') ?
            ($field.find('input:checked').length ? $field.find('input:checked') : $field.find('input').first()) : $field;
    }

    /* Put the focus on `$target` (a field, a heading, a message) and bring it into view. */
    function focus($target) {
        if ($target && $target.length) {
            if (!$target.is('a, button, input, select, textarea, [tabindex]')) {
                $target.attr('tabindex', '-1');
            }
            $target.first().trigger('focus');
        }
    }

    /* Check what the server will check anyway, to say it before sending: a required field left
       empty, a text shorter than its minimum, a required choice not made. Returns the message
       naming the first such field, or '' when the form can go. */
    function checkForm($form) {
        var message = '';
        fieldsOf($form).each(function () {
            var $field = $(this);
            var name = labelOf(this);
            if ($field.is('[role=radiogroup]')) {
                if ($field.attr('aria-required') === 'true' && !$field.find('input:checked').length) {
                    message = i18n.interpolate(i18n.gettext('%(field)s: choose one of the options.'), {field: name});
                }
                return !message;
            }
            if (!$field.is('textarea, input[type=url], input[type=text]')) {
                return true;
            }
            var length = Array.from($.trim($field.val())).length;
            var minimum = Number($field.attr('minlength') || 0);
            if (!length && $field.prop('required')) {
                message = i18n.interpolate(i18n.gettext('%(field)s: this field is required.'), {field: name});
            } else if (length && length < minimum) {
                var language = languageOf(this);
                message = i18n.interpolate(
                    i18n.gettext('%(field)s: write at least %(min)s characters (you wrote %(count)s).'),
                    {field: name, min: formatNumber(minimum, language), count: formatNumber(length, language)}
                );
            }
            return !message;
        });
        return message;
    }

    /* Disable `$button` while a call is in flight (aria-busy, a spinner from the CSS), and restore it after. */
    function setBusy($button, busy, workingText) {
        if (busy) {
            $button.data('label', $button.text()).prop('disabled', true).attr('aria-busy', 'true').text(workingText);
        } else {
            $button.prop('disabled', false).removeAttr('aria-busy').text($button.data('label') || $button.text());
        }
    }

    /* Call `send($form, $button)` when a form of `$root` matching `selector` is submitted: not while its
       submit button is busy (a second submit of a call in flight does nothing), and not before the
       form passes `checkForm` (the problem is then shown on its field, which takes the focus). */
    function onSubmit($root, selector, send) {
        $root.on('submit', selector, function (event) {
            event.preventDefault();
            var $form = $(this);
            var $button = $form.find('button[type=submit]');
            if ($button.prop('disabled')) {
                return;
            }
            var problem = checkForm($form);
            if (problem) {
                focus(showError($form, problem));
                return;
            }
            send($form, $button);
        });
    }

    /* A fresh token identifying one submission of a form, so that a double submit makes one request. */
    function newToken() {
        if (window.crypto && window.crypto.randomUUID) {
            return window.crypto.randomUUID();
        }
        return String(Date.now()) + '-' + String(Math.random()).slice(2);
    }

    /* A selector finding `element` again once its part of the view is drawn anew, or null. */
    function selectorOf(element) {
        var $element = $(element);
        if (element.id) {
            return '#' + element.id.replace(/([^\w-])/g, '\\$1');
        }
        var scope = '';
        $element.parents('form[data-action], [data-request-id]').get().reverse().forEach(function (parent) {
            var $parent = $(parent);
            scope += (parent.tagName.toLowerCase()) +
                ($parent.attr('data-action') ? '[data-action="' + $parent.attr('data-action') + '"]' : '') +
                ($parent.attr('data-request-id') ? '[data-request-id="' + $parent.attr('data-request-id') + '"]' : '') + ' ';
        });
        var tail = element.tagName.toLowerCase();
        $.each(['data-action', 'data-request-id', 'data-after', 'data-before', 'name', 'type'], function (i, name) {
            if ($element.attr(name)) {
                tail += '[' + name + '="' + $element.attr(name) + '"]';
            }
        });
        return (scope + tail) === element.tagName.toLowerCase() ? null : scope + tail;
    }

    /* Put `html` in `$container`, keeping what the person typed in its fields (and the rating they
       chose) but those of `$sent` (the form just sent, whose text is now saved), and keeping the
       focus where it was when that element is drawn again. */
    function replaceKeepingDrafts($container, html, $sent) {
        var drafts = {};
        var checked = [];
        $container.find('textarea[id], input[type=url][id], input[type=radio][id]').each(function () {
            if (!$sent || !$.contains($sent[0], this)) {
                if (this.type === 'radio') {
                    if (this.checked) {
                        checked.push(this.id);
                    }
                } else {
                    drafts[this.id] = $(this).val();
                }
            }
        });
        var active = document.activeElement;
        var focused = active && $.contains($container[0], active) ? selectorOf(active) : null;
        $container.html(html);
        $.each(drafts, function (id, value) {
            var field = document.getElementById(id);
            if (value && field && $.contains($container[0], field)) {
                $(field).val(value);
            }
        });
        $.each(checked, function (i, id) {
            var field = document.getElementById(id);
            if (field && $.contains($container[0], field)) {
                field.checked = true;
            }
        });
        if (focused) {
            var $again = $container.find(focused).filter(':visible').first();
            if ($again.length) {
                $again.trigger('focus');
            }
        }
    }

    /* True when the person has typed something in a text field of `$scope`. */
    function hasTypedText($scope) {
        return $scope.find('textarea, input[type=url], input[type=text]').filter(function () {
            return $.trim($(this).val()) !== '';
        }).length > 0;
    }

    /* Show in `$region` (a live region, so that screen readers read it) how `text`, written in Markdown,
       will read once sent. The server renders it: `text` is POSTed as JSON {"body": text} to `url` (a
       block's handler URL, or a page's own, with `headers` such as {"X-CSRFToken": ...}), which answers
       {"html": ...}, HTML it has sanitised. A refusal shows in the error region of `$container` (the
       form), as for sending; `$button` is busy meanwhile. Returns the call, or null when there was
       nothing to send. */
    function preview(url, text, $region, $container, $button, headers) {
        showError($container, '');
        $region.empty();
        if (!$.trim(text || '')) {
            $region.append($('<p class="coach-preview-title"></p>').text(strings.previewEmpty));
            return null;
        }
        setBusy($button, true, strings.previewing);
        return $.ajax({
            type: 'POST',
            url: url,
            data: JSON.stringify({body: text}),
            contentType: 'application/json; charset=utf-8',
            dataType: 'json',
            headers: headers || {}
        }).done(function (answer) {
            $region.append(
                $('<p class="coach-preview-title"></p>').text(strings.previewTitle),
                $('<div class="coach-formatted"></div>').html(answer.html)
            );
        }).fail(function (xhr) {
            focus(showError($container, errorMessage(xhr, strings.failed)));
        }).always(function () {
            setBusy($button, false);
        });
    }

    /* The analytics' period form of a view (coach and author): redraw the numbers for the chosen period. */
    function bindAnalytics(runtime, element) {
        var $root = $(element);
        onSubmit($root, 'form[data-action=analytics]', function ($form, $button) {
            setBusy($button, true, strings.working);
            post(runtime, element, 'analytics', {
                scope: $form.find('[name=scope]').val(),
                period: $form.find('[name=period]').val()
            }).done(function (answer) {
                var $section = $form.closest('.coach-analytics');
                var selectId = $form.find('select').attr('id');
                $section.replaceWith(answer.html);
                localize(element);
                focus($root.find('#' + selectId));
            }).fail(function () {
                setBusy($button, false);
            });
        });
    }

    return {
        strings: strings,
        localize: localize,
        bindAnalytics: bindAnalytics,
        requestStatus: requestStatus,
        pollFailed: pollFailed,
        languageOf: languageOf,
        queueCount: queueCount,
        post: post,
        errorMessage: errorMessage,
        announce: announce,
        showError: showError,
        checkForm: checkForm,
        focus: focus,
        setBusy: setBusy,
        onSubmit: onSubmit,
        newToken: newToken,
        replaceKeepingDrafts: replaceKeepingDrafts,
        hasTypedText: hasTypedText,
        preview: preview
    };
}());
