/* The settings editor of the coach check-in XBlock (studio_view): xblock.utils' editor, whose script
   (StudioEditableXBlockMixin) reports a refused save in one message (Studio's notification; an alert
   outside Studio). Our settings' validation names the setting of each error ({"error": {"messages":
   [{"type", "text", "field"}]}}): each is also shown beside its setting, which is marked invalid and
   described by it, and the first such setting takes the focus. */
function CoachCheckinStudioEdit(runtime, element) {
    'use strict';
    StudioEditableXBlockMixin(runtime, element);
    var $element = $(element);
    var saveUrl = runtime.handlerUrl(element, 'submit_studio_edits');
    var prefix = 'coach-edit-error-' + String($element.attr('data-usage-id') || $element.attr('data-usage') || '')
        .replace(/[^A-Za-z0-9_-]/g, '-');

    function settingOf(name) {
        return $element.find('li[data-field-name]').filter(function () {
            return $(this).attr('data-field-name') === name;
        }).first();
    }

    function describedBy($control) {
        return $.grep(($control.attr('aria-describedby') || '').split(/\s+/), function (id) { return id; });
    }

    function clearErrors() {
        $element.find('.coach-edit-error').each(function () {
            var errorId = this.id;
            $element.find('[aria-invalid]').each(function () {
                var $control = $(this);
                var ids = $.grep(describedBy($control), function (id) { return id !== errorId; });
                $control.removeAttr('aria-invalid');
                if (ids.length) {
                    $control.attr('aria-describedby', ids.join(' '));
                } else {
                    $control.removeAttr('aria-describedby');
                }
            });
        }).remove();
    }

    function showErrors(messages) {
        var $first = null;
        $.each(messages, function (index, message) {
            var $setting = message.field ? settingOf(message.field) : $();
            var $control = $setting.find('.field-data-control').first();
            if (!$control.length) {
                return;
            }
            var errorId = prefix + '-' + message.field;
            var $error = $setting.find('#' + errorId);
            if (!$error.length) {
                $error = $('<p class="coach-edit-error"></p>').attr('id', errorId);
                $setting.find('.wrapper-comp-setting').first().after($error);
                $control.attr('aria-invalid', 'true')
                    .attr('aria-describedby', [errorId].concat(describedBy($control)).join(' '));
            }
            $error.append($('<span></span>').text(message.text)).append(' ');
            $first = $first || $control;
        });
        if ($first) {
            $first.trigger('focus');
        }
    }

    $.ajaxPrefilter(function (options, originalOptions, jqXHR) {
        if (options.url !== saveUrl || !document.body.contains(element)) {
            return;
        }
        clearErrors();
        jqXHR.fail(function (xhr) {
            var error;
            try {
                error = JSON.parse(xhr.responseText).error;
            } catch (notJson) {
                return;
            }
            if (error && $.isArray(error.messages)) {
                showErrors(error.messages);
            }
        });
    });
}
