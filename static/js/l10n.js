/* Times and numbers in the viewer's time zone and language, for the block's views and the coach desk's
   pages (docs/times.md). Needs no other script: window.CoachCheckinI18N (our catalogue) when present. */
var CoachCheckinL10n = (function () {
    'use strict';

    var i18n = window.CoachCheckinI18N || {gettext: function (msgid) { return msgid; }};

    /* Times and numbers in the viewer's time zone and language (docs/times.md). The server writes
       <time datetime="<UTC>" data-format="relative|datetime|date|time"> and
       <data class="coach-number" value="2000"> (<tspan class="coach-number" data-value> in SVG) with
       a fallback text in UTC; `localize` rewrites them for the browser. */
    var TIME_STYLES = {
        datetime: {dateStyle: 'medium', timeStyle: 'short'},
        date: {dateStyle: 'medium'},
        time: {timeStyle: 'short'}
    };
    var FULL_STYLE = {dateStyle: 'full', timeStyle: 'long'};
    /* Relative times: the largest unit of at least one, as the server's `coach_ago` counts them. */
    var UNITS = [
        ['year', 365 * 86400], ['month', 30 * 86400], ['day', 86400], ['hour', 3600], ['minute', 60]
    ];
    var REFRESH_MS = 60 * 1000;
    var refreshers = new WeakMap();
    var justNow = i18n.gettext('just now');

    /* The language `element` is shown in: the nearest lang attribute (our templates set it to the
       page's language), else the browser's; with the browser's region when it speaks that language
       ("fr" read by a browser set to "fr-CA" is "fr-CA"). */
    function languageOf(element) {
        var marked = element && element.closest ? element.closest('[lang]') : null;
        var language = (marked && marked.getAttribute('lang')) || navigator.language || 'en';
        var primary = language.toLowerCase().split('-')[0];
        var preferred = (navigator.languages || [navigator.language]).filter(function (tag) {
            return tag && tag.toLowerCase().split('-')[0] === primary;
        })[0];
        var chosen = preferred && language.indexOf('-') < 0 ? preferred : language;
        try {
            return Intl.getCanonicalLocales(chosen)[0];
        } catch (invalid) {
            return 'en';
        }
    }

    /* `value` (a number) for a person reading `language`, with `decimals` digits after the point. */
    function formatNumber(value, language, decimals) {
        var digits = decimals || 0;
        return new Intl.NumberFormat(language, {minimumFractionDigits: digits, maximumFractionDigits: digits})
            .format(value);
    }

    /* "just now", "3 minutes ago", "yesterday", "in 2 hours": `moment` from now, in `language`. */
    function relativeText(moment, language) {
        var seconds = (moment.getTime() - Date.now()) / 1000;
        if (Math.abs(seconds) < 60) {
            return justNow;
        }
        var format = new Intl.RelativeTimeFormat(language, {numeric: 'auto'});
        for (var i = 0; i < UNITS.length; i += 1) {
            var count = Math.floor(Math.abs(seconds) / UNITS[i][1]);
            if (count >= 1) {
                return format.format(seconds < 0 ? -count : count, UNITS[i][0]);
            }
        }
        return justNow;
    }

    function drawTime(element, onlyRelative) {
        var shape = element.getAttribute('data-format') || 'datetime';
        var moment = new Date(element.getAttribute('datetime'));
        if (isNaN(moment.getTime()) || (onlyRelative && shape !== 'relative')) {
            return;
        }
        var language = languageOf(element);
        element.textContent = shape === 'relative' ? relativeText(moment, language) :
            new Intl.DateTimeFormat(language, TIME_STYLES[shape] || TIME_STYLES.datetime).format(moment);
        element.setAttribute('title', new Intl.DateTimeFormat(language, FULL_STYLE).format(moment));
    }

    function drawNumber(element) {
        var written = element.getAttribute('value') || element.getAttribute('data-value') || '';
        var value = Number(written);
        if (written === '' || !isFinite(value)) {
            return;
        }
        var decimals = (written.split('.')[1] || '').length;
        element.textContent = formatNumber(value, languageOf(element), decimals);
    }

    /* Show every time and number inside `root` (an element, or a jQuery object) in the viewer's time
       zone and language, and keep its relative times true: once a minute while `root` is in the page
       (one timer per root, whatever the number of calls; it stops when `root` leaves the page). Call
       it whenever a part of `root` is drawn anew. */
    function localize(root) {
        var element = root && root.jquery ? root[0] : root;
        function each(selector, draw) {
            Array.prototype.forEach.call(element.querySelectorAll(selector), draw);
        }
        if (!element) {
            return;
        }
        each('time[datetime]', function (found) { drawTime(found, false); });
        each('.coach-number', drawNumber);
        if (!refreshers.has(element)) {
            var timer = window.setInterval(function () {
                if (!document.documentElement.contains(element)) {
                    window.clearInterval(timer);
                    refreshers.delete(element);
                } else if (!document.hidden) {
                    each('time[data-format=relative]', function (found) { drawTime(found, true); });
                }
            }, REFRESH_MS);
            refreshers.set(element, timer);
        }
    }

    return {localize: localize, languageOf: languageOf, formatNumber: formatNumber};
}());
