/* Learner view of the coach check-in XBlock: tips first, then ask; reply, withdraw, resolve, or say it did
   not help; follow the status. */
function CoachCheckinLearner(runtime, element, initArgs) {
    'use strict';
    var common = CoachCheckinCommon;
    var strings = common.strings;
    var $root = $(element);
    var $panel = $root.find('.coach-panel');
    var $announce = $root.find('.coach-announce').first();
    var $pollStatus = $root.find('.coach-poll-status').first();
    var version = initArgs.version;
    var waiting = initArgs.waiting;
    /* Whether the learner opened the ask form below the tips ("Still stuck? Ask a coach"). */
    var askOpen = false;

    /* Where the point has tips, the ask form waits behind its button until the learner opens it, unless it
       holds a draft or an error (without this script the form simply shows). */
    function showAskForm() {
        var $form = $panel.find('form[data-action=ask]');
        var $open = $panel.find('.coach-open-ask');
        if (!$form.is('[data-tips-first]')) {
            return;
        }
        var open = askOpen || common.hasTypedText($form) || !$form.find('.coach-error').prop('hidden');
        $form.prop('hidden', !open);
        $open.prop('hidden', false).attr('aria-expanded', open ? 'true' : 'false');
    }

    /* Mark the ask form with a fresh token, offer the previews (they need this script), and keep the tips first. */
    function stamp() {
        $panel.find('form[data-action=ask]').attr('data-token', common.newToken());
        $panel.find('.coach-preview-button').prop('hidden', false);
        showAskForm();
    }

    /* Draw the panel of `state`; with `focusRequestId`, move the focus to that request's heading
       (which holds its status) and say its new status. */
    function showState(state, focusRequestId, $sent) {
        common.replaceKeepingDrafts($panel, state.html, $sent);
        common.localize(element);
        version = state.version;
        waiting = state.waiting;
        stamp();
        if (focusRequestId) {
            var $request = $panel.find('.coach-request[data-request-id=' + focusRequestId + ']');
            common.focus($request.find('.coach-request-title').first());
            common.announce($announce, $.trim(common.requestStatus(
                focusRequestId, $.trim($request.find('.coach-badge').first().text())
            ) + ' ' + $.trim($request.find('.coach-sent').text())));
        }
    }

    function payloadOf($form) {
        var action = $form.data('action');
        var payload = {};
        if ($form.data('request-id')) {
            payload.request_id = Number($form.data('request-id'));
        }
        if (action === 'ask') {
            payload.client_token = $form.attr('data-token');
        }
        $form.find('textarea, input[type=url]').each(function () {
            payload[this.name] = $(this).val();
        });
        if (action === 'resolve') {
            var rating = $form.find('input[name=rating]:checked').val();
            payload.rating = rating ? Number(rating) : null;
        }
        if (action === 'not_helped') {
            payload.then = $form.find('input[name=then]:checked').val() || null;
            var stars = $form.find('input[name=rating]:checked').val();
            if (payload.then === 'close' && stars) {
                payload.rating = Number(stars);
            }
        }
        return payload;
    }

    function fail($container, message) {
        common.focus(common.showError($container, message));
    }

    function act(name, payload, $container, $button) {
        common.showError($container, '');
        common.setBusy($button, true, strings.working);
        common.post(runtime, element, name, payload).done(function (state) {
            if (name === 'ask') {
                askOpen = false;
            }
            showState(state, state.request && state.request.id, $container.is('form') ? $container : null);
        }).fail(function (xhr) {
            common.setBusy($button, false);
            fail($container, common.errorMessage(xhr, strings.failed));
        });
    }

    common.onSubmit($root, 'form[data-action]', function ($form, $button) {
        act($form.data('action'), payloadOf($form), $form, $button);
    });

    /* Preview: how the reply, written in Markdown, will read; typing again puts the preview away. */
    $root.on('click', '.coach-preview-button', function () {
        var $button = $(this);
        var $form = $button.closest('form');
        if (!$button.prop('disabled')) {
            common.preview(runtime.handlerUrl(element, 'preview_message'), $form.find('textarea[name=body]').val(),
                $form.find('.coach-preview'), $form, $button);
        }
    });
    $root.on('input', 'form[data-action=reply] textarea', function () {
        $(this).closest('form').find('.coach-preview').empty();
    });

    /* The button opens the form below the tips, and closes it again while nothing is typed in it. */
    $root.on('click', '.coach-open-ask', function () {
        askOpen = $(this).attr('aria-expanded') !== 'true';
        showAskForm();
        if (askOpen) {
            common.focus($panel.find('form[data-action=ask]').find('textarea, input').first());
        }
    });

    $root.on('click', 'button[data-action=withdraw]', function () {
        var $button = $(this);
        if ($button.prop('disabled') || !window.confirm(strings.confirmWithdraw)) {
            return;
        }
        act('withdraw', {request_id: Number($button.data('request-id'))}, $button.closest('.coach-request'), $button);
    });

    /* While a request waits for a coach, look for news; a coach's answer then shows without a reload.
       A failed look (network down, server error) is said in a polite live region, and the next one waits
       twice as long each time, up to MAX_POLL_SECONDS; the first that succeeds brings the normal pace back. */
    var MAX_POLL_SECONDS = 300;
    var failures = 0;

    function nextDelay() {
        return Math.min(initArgs.poll_seconds * Math.pow(2, failures), MAX_POLL_SECONDS);
    }

    function schedule() {
        var seconds = nextDelay();
        $root.attr('data-poll-seconds', seconds);
        window.setTimeout(poll, seconds * 1000);
    }

    function pollFailed() {
        failures += 1;
        var seconds = nextDelay();
        $pollStatus.text(common.pollFailed(seconds, common.languageOf($pollStatus[0])));
        schedule();
    }

    function poll() {
        if (!waiting || document.hidden || common.hasTypedText($panel) || $panel.find('[aria-busy]').length) {
            schedule();
            return;
        }
        /* With the version shown, the server answers {unchanged: true} when nothing changed, without drawing. */
        common.post(runtime, element, 'learner_state', {version: version}).done(function (state) {
            failures = 0;
            $pollStatus.text('');
            waiting = state.waiting;
            if (!state.unchanged && state.version !== version && !common.hasTypedText($panel)) {
                showState(state);
                common.announce($announce, strings.updated);
            }
            schedule();
        }).fail(pollFailed);
    }

    stamp();
    common.localize(element);
    schedule();
}
