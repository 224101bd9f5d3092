import type { BrowserContext } from 'playwright-core';

/** The next Embedded Signup the fake window finishes: the ids Meta would post, or a cancel. */
export type FakeSignupOutcome = { wabaId: string; phoneNumberId: string } | { cancelAt: string };

/**
 * Meta's JS SDK and its signup window, faked inside the browser (connect.facebook.net and
 * www.facebook.com cannot be reached here). The SDK's FB.login records its options, loads a
 * www.facebook.com frame that posts `WA_EMBEDDED_SIGNUP` to the app as Meta's window does (so the
 * app's origin check runs for real), then calls back with a fresh code (none after a cancel).
 */
export async function fakeFacebook(context: BrowserContext) {
  const state: { outcome: FakeSignupOutcome; codes: string[]; sdkLoads: number } = { outcome: { cancelAt: 'NOT_SET' }, codes: [], sdkLoads: 0 };
  await context.route('https://connect.facebook.net/**', (route) => {
    state.sdkLoads += 1;
    return route.fulfill({ contentType: 'text/javascript', headers: { 'access-control-allow-origin': '*' }, body: SDK });
  });
  await context.route('https://www.facebook.com/**', (route) => {
    const outcome = state.outcome;
    const message = 'cancelAt' in outcome
      ? { type: 'WA_EMBEDDED_SIGNUP', event: 'CANCEL', data: { current_step: outcome.cancelAt } }
      : { type: 'WA_EMBEDDED_SIGNUP', event: 'FINISH', data: { phone_number_id: outcome.phoneNumberId, waba_id: outcome.wabaId } };
    return route.fulfill({ contentType: 'text/html', body: `<!doctype html><script>parent.postMessage(${JSON.stringify(JSON.stringify(message))}, '*');</script>` });
  });
  return {
    /** What the next signup window reports. */
    next: (outcome: FakeSignupOutcome) => {
      state.outcome = outcome;
    },
    get sdkLoads() {
      return state.sdkLoads;
    },
  };
}

// Runs in the page: window.__fakeFacebook.logins holds every FB.login's options, for the test to read.
const SDK = `
(() => {
  const calls = { init: null, logins: [] };
  window.__fakeFacebook = calls;
  let n = 0;
  let lastEvent = null;
  window.addEventListener('message', (e) => {
    try { lastEvent = JSON.parse(e.data).event; } catch {}
  });
  window.FB = {
    init(options) { calls.init = options; },
    login(callback, options) {
      calls.logins.push(options);
      const frame = document.createElement('iframe');
      frame.hidden = true;
      frame.src = 'https://www.facebook.com/v21.0/dialog/embedded-signup?attempt=' + (++n);
      // After a cancel Meta's SDK calls back late: long enough for the person to open the window again.
      frame.addEventListener('load', () => setTimeout(() => {
        frame.remove();
        // As Meta's SDK: no code when the person gave up in the window.
        if (lastEvent === 'CANCEL') callback({ status: 'unknown', authResponse: null });
        else callback({ status: 'connected', authResponse: { code: 'fake-code-' + n + '-' + Date.now() } });
      }, lastEvent === 'CANCEL' ? 400 : 30));
      document.body.append(frame);
    },
  };
  window.fbAsyncInit && window.fbAsyncInit();
})();
`;
