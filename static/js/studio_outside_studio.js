/* The settings editor of xblock.utils expects Studio's runtime: runtime.notify() to report a save
   or an error, and a CSRF header on its requests. The XBlock workbench has neither; outside Studio
   only, give them to it once the page's scripts are loaded, so that an author can save there too. */
jQuery(function ($) {
    'use strict';
    var provider = window.RuntimeProvider;
    if (!provider || !provider.versions || !provider.versions[1] || provider.versions[1].notify) {
        return;
    }
    provider.versions[1].notify = function (name, data) {
        if (name === 'save' && data && data.state === 'end') {
            window.location.reload();
        } else if (name === 'error' && data) {
            window.alert([data.title, data.message].filter(Boolean).join('\n'));
        }
    };
    var token = (document.cookie.match(/(?:^|;\s*)csrftoken=([^;]*)/) || [])[1];
    if (token) {
        $.ajaxSetup({headers: {'X-CSRFToken': decodeURIComponent(token)}});
    }
});
