import { useEffect, useState } from 'react';
import { type FacebookSdk, loadFacebookSdk } from './facebook-sdk';
import type { SignupSettings } from './queries';

/** Meta's SDK, loaded when Embedded Signup is enabled (so the button can open Meta's window at once). */
export function useFacebookSdk(settings: SignupSettings | undefined) {
  const [sdk, setSdk] = useState<FacebookSdk | null>(null);
  const [error, setError] = useState<string | null>(null);
  const appId = settings?.enabled ? settings.appId : null;
  const version = settings?.graphVersion ?? '';
  useEffect(() => {
    if (!appId) return;
    let live = true;
    loadFacebookSdk(appId, version).then(
      (loaded) => {
        if (live) setSdk(loaded);
      },
      (failure: unknown) => {
        if (live) setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
    return () => {
      live = false;
    };
  }, [appId, version]);
  return { sdk, error };
}
