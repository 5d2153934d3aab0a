/* Coach view of the coach check-in XBlock: the course's queue, a request's thread, claim and answer. */
function CoachCheckinCoach(runtime, element, initArgs) {
    'use strict';
    var common = CoachCheckinCommon;
    var strings = common.strings;
    var $root = $(element);
    var $queue = $root.find('.coach-queue');
    var $detail = $root.find('.coach-detail');
    var $filters = $root.find('form.coach-filters');
    var position = {};

    function announce(text) {
        $root.find('.coach-announce').first().text(text);
    }

    function filters() {
        return {
            scope: $filters.find('[name=scope]').val(),
            status: $filters.find('[name=status]').val(),
            order: $filters.find('[name=order]').val()
        };
    }

    function loadQueue(newPosition, $button) {
        var queueError = $root.find('.coach-queue-error');
        position = newPosition || {};
        if ($button) {
            common.setBusy($button, true, strings.working);
        }
        return common.post(runtime, element, 'queue', $.extend(filters(), position)).done(function (answer) {
            $queue.html(answer.html);
            queueError.text('').prop('hidden', true);
        }).fail(function (xhr) {
            queueError.text(common.errorMessage(xhr, strings.failed)).prop('hidden', false);
        }).always(function () {
            if ($button) {
                common.setBusy($button, false);
            }
        });
    }

    function showDetail(answer, $sent) {
        common.replaceKeepingDrafts($detail, answer.html, $sent);
        $detail.find('h4').first().trigger('focus');
        announce($detail.find('.coach-claim').text() || $detail.find('.coach-badge').first().text());
    }

    function act(name, payload, $button) {
        var $container = $button.closest('form').length ? $button.closest('form') : $detail.find('.coach-request');
        common.showError($container, '');
        common.setBusy($button, true, strings.working);
        common.post(runtime, element, name, payload).done(function (answer) {
            showDetail(answer, $container.is('form') ? $container : null);
            loadQueue(position);
        }).fail(function (xhr) {
            common.setBusy($button, false);
            common.showError($container, common.errorMessage(xhr, strings.failed));
        });
    }

    $filters.on('submit', function (event) {
        event.preventDefault();
        loadQueue({}, $filters.find('button[type=submit]'));
    });

    $root.on('click', 'button[data-action=page]', function () {
        var $button = $(this);
        var cursor = $button.data('after') ? {after: String($button.data('after'))} : {before: String($button.data('before'))};
        loadQueue(cursor, $button).done(function () {
            $queue.find('table, .coach-empty').first().attr('tabindex', '-1').trigger('focus');
        });
    });

    $root.on('click', 'button[data-action=open]', function () {
        var $button = $(this);
        var requestId = Number($button.data('request-id'));
        common.setBusy($button, true, strings.working);
        common.post(runtime, element, 'request_detail', {request_id: requestId}).done(function (answer) {
            showDetail(answer);
        }).fail(function (xhr) {
            $root.find('.coach-queue-error').text(common.errorMessage(xhr, strings.failed)).prop('hidden', false);
        }).always(function () {
            common.setBusy($button, false);
        });
    });

    $root.on('click', 'button[data-action=claim], button[data-action=release]', function () {
        var $button = $(this);
        if (!$button.prop('disabled')) {
            act($button.data('action'), {request_id: Number($button.data('request-id'))}, $button);
        }
    });

    $root.on('submit', 'form[data-action=coach_reply]', function (event) {
        event.preventDefault();
        var $form = $(this);
        var $button = $form.find('button[type=submit]');
        if (!$button.prop('disabled')) {
            act('coach_reply', {
                request_id: Number($form.data('request-id')),
                body: $form.find('textarea[name=body]').val()
            }, $button);
        }
    });

    $root.on('click', 'button[data-action=close]', function () {
        $detail.empty();
        $queue.find('table, .coach-empty').first().attr('tabindex', '-1').trigger('focus');
    });

    window.setInterval(function () {
        if (!document.hidden) {
            loadQueue(position);
        }
    }, initArgs.poll_seconds * 1000);
}
