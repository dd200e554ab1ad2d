/*
 * Sluice operator console: live flow-control keys, global parallelism, per-key actions and audit trail.
 * Plain browser JavaScript, no dependencies. Talks to the /v2 API of the same server with the operator's token.
 * Everything from the server is rendered with textContent, never as HTML.
 */
(() => {
    'use strict';

    const TOKEN_STORAGE = 'sluice.console.token';
    const REFRESH_MS = 1000;
    /** The API lives at the context root; the console at <root>/console/. */
    const API_ROOT = new URL('../v2/', document.baseURI);

    const BLOCKED_BY = {
        none: ['Not blocked', 'Messages are delivered as they arrive'],
        rate: ['Rate limit', 'The rate limit for the current period is used up'],
        parallelism: ['Parallelism', 'The key\'s parallelism limit is reached'],
        globalParallelism: ['Global parallelism', 'Sluice\'s global parallelism limit is reached'],
        paused: ['Paused', 'The key is paused by an operator'],
        notBefore: ['Delayed', 'Waiting messages are not due yet (delay or schedule)'],
        empty: ['Nothing waiting', 'The waitlist is empty'],
    };

    const $ = (id) => document.getElementById(id);

    const state = {
        token: null,
        search: '',
        rows: new Map(), // flowControlKey -> {tr, cells, buttons, data}
        auditKey: null,
        auditSignature: null,
        pinKey: null,
        timer: null,
        generation: 0,
    };

    class ApiError extends Error {
        constructor(status, message) {
            super(message);
            this.status = status;
        }
    }

    // ---------------------------------------------------------------- API

    async function api(method, path, params) {
        const url = new URL(path, API_ROOT);
        if (params) {
            Object.entries(params).forEach(([name, value]) => url.searchParams.set(name, String(value)));
        }
        let response;
        try {
            response = await fetch(url, {
                method,
                headers: {'Authorization': 'Bearer ' + state.token, 'Accept': 'application/json'},
                cache: 'no-store',
                credentials: 'omit',
            });
        } catch (networkError) {
            throw new ApiError(0, 'Sluice is not reachable');
        }
        const text = await response.text();
        let body = null;
        if (text) {
            try {
                body = JSON.parse(text);
            } catch (notJson) {
                body = text;
            }
        }
        if (!response.ok) {
            const message = body && typeof body === 'object' && body.error
                ? body.error : `HTTP ${response.status} ${response.statusText}`.trim();
            throw new ApiError(response.status, message);
        }
        return body;
    }

    const keyPath = (key, suffix) => 'flowControl/' + encodeURIComponent(key) + (suffix ? '/' + suffix : '');

    // ---------------------------------------------------------------- formatting

    function plural(n, unit) {
        return `${n} ${unit}`;
    }

    /** 75 -> "1 min 15 s", 7260 -> "2 h 1 min", 0.4 -> "< 1 s". */
    function humanDuration(seconds) {
        if (seconds < 1) {
            return '< 1 s';
        }
        const s = Math.round(seconds);
        if (s < 60) {
            return plural(s, 's');
        }
        if (s < 3600) {
            const rest = s % 60;
            return plural(Math.floor(s / 60), 'min') + (rest ? ' ' + plural(rest, 's') : '');
        }
        if (s < 86400) {
            const rest = Math.floor((s % 3600) / 60);
            return plural(Math.floor(s / 3600), 'h') + (rest ? ' ' + plural(rest, 'min') : '');
        }
        const rest = Math.floor((s % 86400) / 3600);
        return plural(Math.floor(s / 86400), 'd') + (rest ? ' ' + plural(rest, 'h') : '');
    }

    /** Rate periods are whole seconds: 1 -> "s", 60 -> "min", 90 -> "90 s". */
    function periodText(seconds) {
        if (!seconds || seconds === 1) {
            return 's';
        }
        if (seconds % 86400 === 0) {
            return seconds === 86400 ? 'day' : `${seconds / 86400} days`;
        }
        if (seconds % 3600 === 0) {
            return seconds === 3600 ? 'h' : `${seconds / 3600} h`;
        }
        if (seconds % 60 === 0) {
            return seconds === 60 ? 'min' : `${seconds / 60} min`;
        }
        return `${seconds} s`;
    }

    const limitText = (max) => (max > 0 ? String(max) : 'no limit');
    const num = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

    /**
     * Sluice estimates the drain as if the key were not paused and ignoring the global cap; 0 while messages wait
     * means no estimate yet (e.g. no attempt has finished to learn how long calls take).
     */
    function etaText(key) {
        if (num(key.waitListSize) === 0) {
            return num(key.scheduledCount) > 0
                ? ['–', 'Only scheduled messages: they wait for their time'] : ['–', 'Nothing waiting'];
        }
        const seconds = key.estimatedDrainSeconds;
        const known = typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0;
        if (key.isPaused) {
            return known
                ? [`${humanDuration(seconds)} once resumed`, 'Nothing drains while the key is paused']
                : ['paused', 'Nothing drains while the key is paused'];
        }
        if (!known) {
            return key.blockedBy === 'none'
                ? ['< 1 s', 'Starting now'] : ['no estimate yet', 'Sluice has not measured how long calls take yet'];
        }
        return [humanDuration(seconds), `Estimated ${seconds.toFixed(1)} s until the last waiting message has started`];
    }

    // ---------------------------------------------------------------- DOM helpers

    function el(tag, attributes, ...children) {
        const element = document.createElement(tag);
        Object.entries(attributes || {}).forEach(([name, value]) => {
            if (name === 'class') {
                element.className = value;
            } else if (name === 'text') {
                element.textContent = value;
            } else {
                element.setAttribute(name, value);
            }
        });
        children.forEach((child) => element.append(child));
        return element;
    }

    function setText(element, text, title) {
        if (element.textContent !== text) {
            element.textContent = text;
        }
        if (title !== undefined && element.title !== title) {
            element.title = title;
        }
    }

    function announce(message, isError) {
        const status = $('status');
        status.textContent = message;
        status.classList.toggle('error', Boolean(isError));
    }

    function setRefreshState(kind, text) {
        const indicator = $('refresh-state');
        indicator.dataset.state = kind;
        setText(indicator, text);
    }

    // ---------------------------------------------------------------- key table

    function actionButton(action, label, key, extraClass) {
        const button = el('button', {type: 'button', class: extraClass || '', 'data-action': action});
        button.append(el('span', {class: 'label', text: label}), el('span', {class: 'visually-hidden', text: ' ' + key}));
        return button;
    }

    function createRow(key) {
        const tr = el('tr', {'data-key': key});
        const keyButton = el('button', {type: 'button', class: 'link key-name', 'data-action': 'events',
            title: 'Show the audit trail of ' + key});
        keyButton.append(el('span', {text: key}), el('span', {class: 'visually-hidden', text: ' – show audit trail'}));
        const cells = {
            waitList: el('td', {class: 'num', 'data-field': 'waitListSize'}),
            parallelism: el('td', {class: 'num', 'data-field': 'parallelism'}),
            rate: el('td', {class: 'num', 'data-field': 'rate'}),
            periodStart: el('td', {'data-field': 'ratePeriodStart'}),
            badges: el('td', {'data-field': 'state'}),
            blockedBy: el('td', {'data-field': 'blockedBy'}),
            eta: el('td', {class: 'num', 'data-field': 'estimatedDrainSeconds'}),
        };
        const waitListValue = el('span', {class: 'value'});
        const scheduledValue = el('span', {class: 'sub-line'});
        cells.waitList.append(waitListValue, scheduledValue);
        const buttons = {
            toggle: actionButton('pause', 'Pause', key),
            pin: actionButton('pin', 'Pin', key, 'secondary'),
            unpin: actionButton('unpin', 'Unpin', key, 'secondary'),
            resetRate: actionButton('resetRate', 'Reset rate', key, 'secondary'),
        };
        const actions = el('td', {class: 'actions'},
            el('div', {class: 'button-row'}, buttons.toggle, buttons.pin, buttons.unpin, buttons.resetRate));
        tr.append(el('th', {scope: 'row'}, keyButton), cells.waitList, cells.parallelism, cells.rate,
            cells.periodStart, cells.badges, cells.blockedBy, cells.eta, actions);
        return {tr, cells, buttons, keyButton, waitListValue, scheduledValue, data: null, badgeSignature: null};
    }

    function badge(kind, text, title) {
        return el('span', {class: 'badge ' + kind, 'data-badge': kind, title, text});
    }

    function updateRow(row, key) {
        row.data = key;
        const {tr, cells, buttons} = row;
        const waitList = num(key.waitListSize);
        const scheduled = num(key.scheduledCount);
        tr.dataset.waitListSize = String(waitList);
        tr.dataset.paused = String(Boolean(key.isPaused));
        tr.dataset.blockedBy = key.blockedBy || '';

        setText(row.waitListValue, String(waitList));
        setText(row.scheduledValue, scheduled > 0 ? `+${scheduled} scheduled` : '');
        cells.waitList.title = `${waitList} waiting` + (scheduled > 0 ? `, ${scheduled} scheduled for later` : '');
        setText(cells.parallelism, `${num(key.parallelismCount)} / ${limitText(num(key.parallelismMax))}`,
            `${num(key.parallelismCount)} in flight; limit: ${limitText(num(key.parallelismMax))}`
            + (key.isPinnedParallelism ? ' (pinned)' : ''));
        const rateMax = num(key.rateMax);
        setText(cells.rate, rateMax > 0
                ? `${num(key.rateCount)} / ${rateMax} per ${periodText(num(key.ratePeriod))}`
                : `${num(key.rateCount)} / no limit`,
            `${num(key.rateCount)} started in the current ${num(key.ratePeriod)} s period`
            + (key.isPinnedRate ? ' (pinned)' : ''));
        const start = num(key.ratePeriodStart);
        if (rateMax === 0) {
            setText(cells.periodStart, '–', 'No rate limit, so no rate periods');
        } else if (start > 0) {
            const date = new Date(start * 1000);
            setText(cells.periodStart, date.toLocaleTimeString(), date.toISOString());
        } else {
            setText(cells.periodStart, '–', 'No period started yet');
        }

        const badgeSignature = [key.isPaused, key.isPinnedParallelism, key.isPinnedRate].join();
        if (badgeSignature !== row.badgeSignature) {
            row.badgeSignature = badgeSignature;
            const badges = [];
            if (key.isPaused) {
                badges.push(badge('paused', 'Paused', 'Paused by an operator: nothing is delivered'));
            }
            if (key.isPinnedParallelism) {
                badges.push(badge('pinned pinned-parallelism', 'Pinned parallelism',
                    'Parallelism is pinned: publishers cannot change it'));
            }
            if (key.isPinnedRate) {
                badges.push(badge('pinned pinned-rate', 'Pinned rate', 'Rate is pinned: publishers cannot change it'));
            }
            if (badges.length === 0) {
                badges.push(badge('active', 'Active', 'Delivering under the publishers\' limits'));
            }
            cells.badges.replaceChildren(...badges);
        }

        const reason = key.blockedBy || 'none';
        const [reasonText, reasonTitle] = BLOCKED_BY[reason] || [reason, ''];
        let pill = cells.blockedBy.firstElementChild;
        if (!pill || pill.dataset.blockedBy !== reason) {
            pill = el('span', {class: 'reason reason-' + reason, 'data-blocked-by': reason});
            cells.blockedBy.replaceChildren(pill);
        }
        setText(pill, reasonText, reasonTitle);

        const [eta, etaTitle] = etaText(key);
        setText(cells.eta, eta, etaTitle);

        const toggle = buttons.toggle;
        const toggleAction = key.isPaused ? 'resume' : 'pause';
        if (toggle.dataset.action !== toggleAction) {
            toggle.dataset.action = toggleAction;
            toggle.querySelector('.label').textContent = key.isPaused ? 'Resume' : 'Pause';
            toggle.classList.toggle('resume', key.isPaused);
        }
        if (!buttons.unpin.dataset.busy) {
            buttons.unpin.disabled = !key.isPinnedParallelism && !key.isPinnedRate;
        }
    }

    function renderKeys(keys) {
        const tbody = $('key-rows');
        const list = Array.isArray(keys) ? keys.slice() : [];
        list.sort((a, b) => String(a.flowControlKey).localeCompare(String(b.flowControlKey)));
        const seen = new Set();
        list.forEach((key, index) => {
            const name = String(key.flowControlKey);
            seen.add(name);
            let row = state.rows.get(name);
            if (!row) {
                row = createRow(name);
                state.rows.set(name, row);
            }
            updateRow(row, key);
            // move only when out of place, so a focused button keeps its focus
            if (tbody.children[index] !== row.tr) {
                tbody.insertBefore(row.tr, tbody.children[index] || null);
            }
        });
        for (const [name, row] of state.rows) {
            if (!seen.has(name)) {
                row.tr.remove();
                state.rows.delete(name);
            }
        }
        setText($('key-count'), `(${list.length})`);
        $('no-keys').hidden = list.length > 0;
        setText($('no-keys-search'), state.search ? ` matching “${state.search}”` : '');
        $('keys').classList.toggle('is-empty', list.length === 0);
    }

    function renderGlobal(global) {
        const count = num(global && global.parallelismCount);
        const max = num(global && global.parallelismMax);
        const value = $('global-parallelism');
        value.dataset.count = String(count);
        value.dataset.max = String(max);
        setText(value, `${count} / ${limitText(max)}`,
            `${count} deliveries in flight across all keys; global limit: ${limitText(max)}`);
        const ratio = max > 0 ? Math.min(1, count / max) : 0;
        const fill = $('global-fill');
        fill.style.width = `${Math.round(ratio * 100)}%`;
        fill.classList.toggle('high', ratio >= 0.9);
    }

    // ---------------------------------------------------------------- audit trail

    async function refreshAudit() {
        const key = state.auditKey;
        if (!key) {
            return;
        }
        let events;
        try {
            events = await api('GET', keyPath(key, 'events'));
        } catch (error) {
            if (error.status === 404) {
                events = [];
            } else {
                throw error;
            }
        }
        if (key !== state.auditKey) {
            return;
        }
        const signature = JSON.stringify(events);
        if (signature === state.auditSignature) {
            return;
        }
        state.auditSignature = signature;
        const list = Array.isArray(events) ? events : [];
        $('audit-rows').replaceChildren(...list.map((event) => {
            const date = new Date(num(event.time));
            return el('tr', {'data-event-action': String(event.action)},
                el('td', {}, el('time', {datetime: date.toISOString(), text: date.toLocaleString()})),
                el('td', {}, el('span', {class: 'action-name', text: String(event.action)})),
                el('td', {class: 'mono', text: event.before == null ? '' : String(event.before)}),
                el('td', {class: 'mono', text: event.after == null ? '' : String(event.after)}));
        }));
        $('audit-empty').hidden = list.length > 0;
        $('audit-table').hidden = list.length === 0;
    }

    function openAudit(key) {
        state.auditKey = key;
        state.auditSignature = null;
        $('audit-key').textContent = key;
        $('audit-rows').replaceChildren();
        $('audit-empty').hidden = true;
        const section = $('audit');
        section.hidden = false;
        section.dataset.key = key;
        refreshAudit().catch((error) => announce(`Could not load the audit trail of ${key}: ${error.message}`, true));
        const heading = $('audit-heading');
        heading.tabIndex = -1;
        heading.focus({preventScroll: true});
        section.scrollIntoView({block: 'nearest'});
    }

    function closeAudit() {
        const key = state.auditKey;
        state.auditKey = null;
        $('audit').hidden = true;
        delete $('audit').dataset.key;
        const row = key && state.rows.get(key);
        if (row) {
            row.keyButton.focus();
        }
    }

    // ---------------------------------------------------------------- refresh loop

    async function refresh() {
        clearTimeout(state.timer);
        if (!state.token) {
            return;
        }
        const generation = ++state.generation;
        try {
            const params = state.search ? {search: state.search} : undefined;
            const [keys, global] = await Promise.all([
                api('GET', 'flowControl', params),
                api('GET', 'globalParallelism'),
            ]);
            if (generation !== state.generation) {
                return;
            }
            renderKeys(keys);
            renderGlobal(global);
            await refreshAudit();
            setRefreshState('live', 'Live · updated ' + new Date().toLocaleTimeString());
            $('keys-section').classList.remove('stale');
        } catch (error) {
            if (generation !== state.generation) {
                return;
            }
            if (error.status === 401 || error.status === 403) {
                signOut('Sluice refused the token: ' + error.message);
                return;
            }
            setRefreshState('error', 'Retrying: ' + error.message);
            $('keys-section').classList.add('stale');
        } finally {
            if (generation === state.generation && state.token) {
                state.timer = setTimeout(refresh, REFRESH_MS);
            }
        }
    }

    // ---------------------------------------------------------------- actions

    async function runAction(button, key, description, call) {
        // aria-disabled rather than disabled: a disabled button would drop the keyboard focus
        button.setAttribute('aria-disabled', 'true');
        button.dataset.busy = 'true';
        try {
            await call();
            announce(`${description} “${key}”.`);
        } catch (error) {
            if (error.status === 401 || error.status === 403) {
                signOut('Sluice refused the token: ' + error.message);
                return;
            }
            announce(`Could not act on “${key}”: ${error.message}`, true);
        } finally {
            delete button.dataset.busy;
            button.removeAttribute('aria-disabled');
            await refresh();
        }
    }

    function onTableClick(event) {
        const button = event.target.closest('button[data-action]');
        if (!button || button.disabled || button.dataset.busy) {
            return;
        }
        const tr = button.closest('tr[data-key]');
        const row = tr && state.rows.get(tr.dataset.key);
        if (!row) {
            return;
        }
        const key = tr.dataset.key;
        switch (button.dataset.action) {
            case 'events':
                openAudit(key);
                break;
            case 'pause':
                runAction(button, key, 'Paused', () => api('POST', keyPath(key, 'pause')));
                break;
            case 'resume':
                runAction(button, key, 'Resumed', () => api('POST', keyPath(key, 'resume')));
                break;
            case 'resetRate':
                runAction(button, key, 'Reset the rate window of', () => api('POST', keyPath(key, 'resetRate')));
                break;
            case 'unpin': {
                const data = row.data || {};
                const params = {};
                if (data.isPinnedParallelism) {
                    params.parallelism = 'true';
                }
                if (data.isPinnedRate) {
                    params.rate = 'true';
                }
                if (Object.keys(params).length === 0) {
                    params.parallelism = 'true';
                    params.rate = 'true';
                }
                runAction(button, key, 'Unpinned', () => api('POST', keyPath(key, 'unpin'), params));
                break;
            }
            case 'pin':
                openPin(key, row.data || {}, button);
                break;
            default:
                break;
        }
    }

    function openPin(key, data, opener) {
        state.pinKey = key;
        state.pinOpener = opener;
        $('pin-key').textContent = key;
        $('pin-error').textContent = '';
        const fields = [
            ['pin-parallelism', `now ${limitText(num(data.parallelismMax))}`],
            ['pin-rate', `now ${limitText(num(data.rateMax))}`],
            ['pin-period', `now ${num(data.ratePeriod) || 1}`],
        ];
        fields.forEach(([id, placeholder]) => {
            $(id).value = '';
            $(id).placeholder = placeholder;
        });
        const dialog = $('pin-dialog');
        dialog.dataset.key = key;
        dialog.showModal();
        $('pin-parallelism').focus();
    }

    function closePin() {
        const dialog = $('pin-dialog');
        if (dialog.open) {
            dialog.close();
        }
    }

    async function submitPin(event) {
        event.preventDefault();
        const key = state.pinKey;
        const params = {};
        const problems = [];
        [['parallelism', 'pin-parallelism'], ['rate', 'pin-rate'], ['period', 'pin-period']]
            .forEach(([name, id]) => {
                const raw = $(id).value.trim();
                if (raw === '') {
                    return;
                }
                const value = Number(raw);
                if (!Number.isInteger(value) || value < 1) {
                    problems.push(`${name} must be a whole number of at least 1`);
                } else {
                    params[name] = value;
                }
            });
        if (problems.length === 0 && params.parallelism === undefined && params.rate === undefined) {
            problems.push('enter a parallelism, a rate or both');
        }
        if (problems.length === 0 && params.period !== undefined && params.rate === undefined) {
            problems.push('a period needs a rate');
        }
        if (problems.length > 0) {
            $('pin-error').textContent = problems.join('; ').replace(/^./, (c) => c.toUpperCase()) + '.';
            return;
        }
        const submit = $('pin-submit');
        submit.disabled = true;
        try {
            await api('POST', keyPath(key, 'pin'), params);
            closePin();
            const summary = Object.entries(params).map(([name, value]) => `${name}=${value}`).join(', ');
            announce(`Pinned ${summary} on “${key}”.`);
            await refresh();
        } catch (error) {
            $('pin-error').textContent = 'Sluice refused: ' + error.message;
        } finally {
            submit.disabled = false;
        }
    }

    // ---------------------------------------------------------------- token / session

    function tokenFromHash() {
        const params = new URLSearchParams(location.hash.replace(/^#/, ''));
        const token = params.get('token');
        if (token === null) {
            return null;
        }
        // keep the token out of the address bar and the history
        params.delete('token');
        const rest = params.toString();
        history.replaceState(null, '', location.pathname + location.search + (rest ? '#' + rest : ''));
        return token.trim() || null;
    }

    function signIn(token) {
        state.token = token;
        try {
            sessionStorage.setItem(TOKEN_STORAGE, token);
        } catch (storageUnavailable) {
            // private mode without storage: the token lives as long as the page
        }
        $('login').hidden = true;
        $('keys-section').hidden = false;
        $('forget-token').hidden = false;
        setRefreshState('connecting', 'Connecting…');
        refresh();
    }

    function signOut(message) {
        clearTimeout(state.timer);
        state.generation++;
        state.token = null;
        try {
            sessionStorage.removeItem(TOKEN_STORAGE);
        } catch (storageUnavailable) {
            // nothing stored
        }
        state.rows.forEach((row) => row.tr.remove());
        state.rows.clear();
        state.auditKey = null;
        closePin();
        $('audit').hidden = true;
        $('keys-section').hidden = true;
        $('forget-token').hidden = true;
        $('login').hidden = false;
        setText($('global-parallelism'), '–');
        $('global-fill').style.width = '0';
        setRefreshState('idle', 'Not connected');
        announce(message || '', Boolean(message));
        $('token').value = '';
        $('token').focus();
    }

    function storedToken() {
        try {
            return sessionStorage.getItem(TOKEN_STORAGE);
        } catch (storageUnavailable) {
            return null;
        }
    }

    // ---------------------------------------------------------------- wiring

    let searchTimer = null;

    function init() {
        $('token-form').addEventListener('submit', (event) => {
            event.preventDefault();
            const token = $('token').value.trim();
            if (token) {
                announce('');
                signIn(token);
            }
        });
        $('forget-token').addEventListener('click', () => signOut('Token forgotten.'));
        $('search').addEventListener('input', () => {
            clearTimeout(searchTimer);
            searchTimer = setTimeout(() => {
                state.search = $('search').value.trim();
                refresh();
            }, 150);
        });
        $('key-rows').addEventListener('click', onTableClick);
        $('audit-close').addEventListener('click', closeAudit);
        $('pin-form').addEventListener('submit', submitPin);
        $('pin-cancel').addEventListener('click', closePin);
        $('pin-dialog').addEventListener('close', () => {
            const opener = state.pinOpener;
            state.pinKey = null;
            state.pinOpener = null;
            if (opener && opener.isConnected) {
                opener.focus();
            }
        });
        window.addEventListener('hashchange', () => {
            const token = tokenFromHash();
            if (token) {
                signIn(token);
            }
        });
        document.addEventListener('visibilitychange', () => {
            if (document.visibilityState === 'visible' && state.token) {
                refresh();
            }
        });

        const token = tokenFromHash() || storedToken();
        if (token) {
            signIn(token);
        } else {
            signOut();
        }
    }

    init();
})();
