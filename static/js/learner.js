/* Learner view of the coach check-in XBlock: ask, reply, withdraw, resolve; follow the status. */
function CoachCheckinLearner(runtime, element, initArgs) {
    'use strict';
    var common = CoachCheckinCommon;
    var strings = common.strings;
    var $root = $(element);
    var $panel = $root.find('.coach-panel');
    var $announce = $root.find('.coach-announce').first();
    var version = initArgs.version;
    var waiting = initArgs.waiting;

    /* Mark the ask form with a fresh token, and offer the previews (they need this script). */
    function stamp() {
        $panel.find('form[data-action=ask]').attr('data-token', common.newToken());
        $panel.find('.coach-preview-button').prop('hidden', false);
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
            common.announce($announce, common.requestStatus(
                focusRequestId, $.trim($request.find('.coach-badge').first().text())
            ));
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
        return payload;
    }

    function fail($container, message) {
        common.focus(common.showError($container, message));
    }

    function act(name, payload, $container, $button) {
        common.showError($container, '');
        common.setBusy($button, true, strings.working);
        common.post(runtime, element, name, payload).done(function (state) {
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

    $root.on('click', 'button[data-action=withdraw]', function () {
        var $button = $(this);
        if ($button.prop('disabled') || !window.confirm(strings.confirmWithdraw)) {
            return;
        }
        act('withdraw', {request_id: Number($button.data('request-id'))}, $button.closest('.coach-request'), $button);
    });

    /* While a request waits for a coach, look for news; a coach's answer then shows without a reload. */
    function poll() {
        if (!waiting || document.hidden || common.hasTypedText($panel) || $panel.find('[aria-busy]').length) {
            return;
        }
        common.post(runtime, element, 'learner_state', {}).done(function (state) {
            if (state.version !== version && !common.hasTypedText($panel)) {
                showState(state);
                common.announce($announce, strings.updated);
            }
        });
    }

    stamp();
    common.localize(element);
    window.setInterval(poll, initArgs.poll_seconds * 1000);
}
