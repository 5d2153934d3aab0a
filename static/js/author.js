/* Author view of the coach check-in XBlock (Studio's unit page): the analytics of this point. */
function CoachCheckinAuthor(runtime, element) {
    'use strict';
    CoachCheckinCommon.bindAnalytics(runtime, element);
    CoachCheckinCommon.localize(element);
}
