/* Helpers shared by the learner and coach views of the coach check-in XBlock. */
var CoachCheckinCommon = (function () {
    'use strict';

    /* The block's translations (window.CoachCheckinI18N, added by the block before this file). */
    var i18n = window.CoachCheckinI18N || {
        gettext: function (msgid) { return msgid; }
    };

    /* Words the scripts show, in the viewer's language. */
    var strings = {
        working: i18n.gettext('Sending…'),
        failed: i18n.gettext('Something went wrong; your text is still here. Try again in a moment.'),
        confirmWithdraw: i18n.gettext('Withdraw this request? A coach will no longer see it.'),
        updated: i18n.gettext('Your requests were updated.')
    };

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

    /* Show `message` in the error region of `container` (and name it for assistive tech). */
    function showError($container, message) {
        var $error = $container.find('.coach-error').first();
        $error.text(message).prop('hidden', !message);
        if (message) {
            $container.find('textarea, input, select').filter(':visible').first().attr('aria-invalid', 'true');
        }
    }

    /* Disable `$button` while a call is in flight, and restore it after. */
    function setBusy($button, busy, workingText) {
        if (busy) {
            $button.data('label', $button.text()).prop('disabled', true).attr('aria-busy', 'true').text(workingText);
        } else {
            $button.prop('disabled', false).removeAttr('aria-busy').text($button.data('label') || $button.text());
        }
    }

    /* A fresh token identifying one submission of a form, so that a double submit makes one request. */
    function newToken() {
        if (window.crypto && window.crypto.randomUUID) {
            return window.crypto.randomUUID();
        }
        return String(Date.now()) + '-' + String(Math.random()).slice(2);
    }

    /* Put `html` in `$container`, keeping what the person typed in its fields but those of `$sent`
       (the form just sent, whose text is now saved). */
    function replaceKeepingDrafts($container, html, $sent) {
        var drafts = {};
        $container.find('textarea[id], input[type=url][id]').each(function () {
            if (!$sent || !$.contains($sent[0], this)) {
                drafts[this.id] = $(this).val();
            }
        });
        $container.html(html);
        $.each(drafts, function (id, value) {
            var field = document.getElementById(id);
            if (value && field && $.contains($container[0], field)) {
                $(field).val(value);
            }
        });
    }

    /* True when the person has typed something in a text field of `$scope`. */
    function hasTypedText($scope) {
        return $scope.find('textarea, input[type=url], input[type=text]').filter(function () {
            return $.trim($(this).val()) !== '';
        }).length > 0;
    }

    return {
        strings: strings,
        post: post,
        errorMessage: errorMessage,
        showError: showError,
        setBusy: setBusy,
        newToken: newToken,
        replaceKeepingDrafts: replaceKeepingDrafts,
        hasTypedText: hasTypedText
    };
}());
