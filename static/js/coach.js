/* Coach view of the coach check-in XBlock: the course's queue, a request's thread, claim and answer. */
function CoachCheckinCoach(runtime, element, initArgs) {
    'use strict';
    var common = CoachCheckinCommon;
    var strings = common.strings;
    var $root = $(element);
    var $queue = $root.find('.coach-queue');
    var $detail = $root.find('.coach-detail');
    var $filters = $root.find('form.coach-filters');
    var $queueError = $root.find('.coach-queue-error');
    var $announce = $root.find('.coach-announce').first();
    var position = {};

    function filters() {
        return {
            scope: $filters.find('[name=scope]').val(),
            status: $filters.find('[name=status]').val(),
            order: $filters.find('[name=order]').val()
        };
    }

    /* Load a page of the queue (`newPosition`: a cursor, or {} for the first page); the focus stays
       where it was when that element is drawn again. */
    function loadQueue(newPosition, $button) {
        position = newPosition || {};
        if ($button) {
            common.setBusy($button, true, strings.working);
        }
        return common.post(runtime, element, 'queue', $.extend(filters(), position)).done(function (answer) {
            common.replaceKeepingDrafts($queue, answer.html);
            common.localize(element);
            $queueError.text('').prop('hidden', true);
        }).fail(function (xhr) {
            $queueError.text(common.errorMessage(xhr, strings.failed)).prop('hidden', false);
            if ($button) {
                common.focus($queueError);
            }
        }).always(function () {
            if ($button) {
                common.setBusy($button, false);
            }
        });
    }

    function queueStart() {
        return $queue.find('table, .coach-empty').first();
    }

    /* Draw a request's detail and put the focus on `focusOn` (a selector inside it; its heading by
       default), then say its claim or status. */
    function showDetail(answer, $sent, focusOn) {
        common.replaceKeepingDrafts($detail, answer.html, $sent);
        common.localize(element);
        var $target = focusOn ? $detail.find(focusOn).first() : $();
        common.focus($target.length ? $target : $detail.find('.coach-request-title').first());
        var claim = $.trim($detail.find('.coach-claim').text());
        common.announce($announce, claim || common.requestStatus(
            answer.request.id, $.trim($detail.find('.coach-badge').first().text())
        ));
    }

    /* After each action, where the coach goes on: answering once they hold the claim, claiming once
       they released it, the request's heading (and its new status) once they answered. */
    var nextFocus = {
        claim: 'form.coach-answer-form textarea',
        release: 'button[data-action=claim]',
        coach_reply: null
    };

    function act(name, payload, $button) {
        var $container = $button.closest('form').length ? $button.closest('form') : $detail.find('.coach-request');
        common.showError($container, '');
        common.setBusy($button, true, strings.working);
        common.post(runtime, element, name, payload).done(function (answer) {
            showDetail(answer, $container.is('form') ? $container : null, nextFocus[name]);
            loadQueue(position);
        }).fail(function (xhr) {
            var message = common.errorMessage(xhr, strings.failed);
            if (xhr.status === 409 && name !== 'coach_reply') {
                showRefusal(payload.request_id, message, $button, $container);
                return;
            }
            common.setBusy($button, false);
            common.focus(common.showError($container, message));
        });
    }

    /* A claim or release refused because the request changed meanwhile (another coach claimed it):
       redraw the request as it is now, then give the reason. A refused answer keeps its form and its
       text instead. */
    function showRefusal(requestId, message, $button, $container) {
        common.post(runtime, element, 'request_detail', {request_id: requestId}).done(function (answer) {
            common.replaceKeepingDrafts($detail, answer.html, null);
            common.localize(element);
            $container = $detail.find('.coach-request');
            loadQueue(position);
        }).always(function () {
            common.setBusy($button, false);
            common.focus(common.showError($container, message));
        });
    }

    common.onSubmit($root, 'form.coach-filters', function ($form, $button) {
        loadQueue({}, $button).done(function (answer) {
            common.focus($button);
            common.announce($announce, common.queueCount(answer.rows.length));
        });
    });

    common.bindAnalytics(runtime, element);
    common.localize(element);

    $root.on('click', 'button[data-action=page]', function () {
        var $button = $(this);
        var cursor = $button.data('after') ? {after: String($button.data('after'))} : {before: String($button.data('before'))};
        loadQueue(cursor, $button).done(function (answer) {
            common.focus(queueStart());
            common.announce($announce, common.queueCount(answer.rows.length));
        });
    });

    $root.on('click', 'button[data-action=open]', function () {
        var $button = $(this);
        var requestId = Number($button.data('request-id'));
        $queueError.text('').prop('hidden', true);
        common.setBusy($button, true, strings.working);
        common.post(runtime, element, 'request_detail', {request_id: requestId}).done(function (answer) {
            common.setBusy($button, false);
            showDetail(answer);
        }).fail(function (xhr) {
            common.setBusy($button, false);
            $queueError.text(common.errorMessage(xhr, strings.failed)).prop('hidden', false);
            common.focus($queueError);
        });
    });

    $root.on('click', 'button[data-action=claim], button[data-action=release]', function () {
        var $button = $(this);
        if (!$button.prop('disabled')) {
            act($button.data('action'), {request_id: Number($button.data('request-id'))}, $button);
        }
    });

    common.onSubmit($root, 'form[data-action=coach_reply]', function ($form, $button) {
        act('coach_reply', {
            request_id: Number($form.data('request-id')),
            body: $form.find('textarea[name=body]').val()
        }, $button);
    });

    $root.on('click', 'button[data-action=close]', function () {
        var requestId = $detail.find('.coach-request').attr('data-request-id');
        $detail.empty();
        var $open = $queue.find('button[data-action=open][data-request-id="' + requestId + '"]');
        common.focus($open.length ? $open : queueStart());
    });

    window.setInterval(function () {
        if (!document.hidden && !$queue.find('[aria-busy]').length) {
            loadQueue(position);
        }
    }, initArgs.poll_seconds * 1000);
}
