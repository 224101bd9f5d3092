/** The part of Meta's JS SDK that Connect with Facebook uses. */
export interface FacebookSdk {
  init(options: { appId: string; version: string; autoLogAppEvents?: boolean; xfbml?: boolean }): void;
  login(
    callback: (response: { authResponse?: { code?: string } | null; status?: string }) => void,
    options: { config_id: string; response_type: 'code'; override_default_response_type: true; extras: Record<string, unknown> },
  ): void;
}

declare global {
  interface Window {
    FB?: FacebookSdk;
    fbAsyncInit?: () => void;
  }
}

export const FACEBOOK_SDK_URL = 'https://connect.facebook.net/en_US/sdk.js';

let loading: Promise<FacebookSdk> | null = null;

/**
 * Loads and initialises the SDK once per page (later calls share the first load). Rejects when
 * the script cannot load (an ad blocker, no network); a later call tries again.
 */
export function loadFacebookSdk(appId: string, version: string): Promise<FacebookSdk> {
  loading ??= new Promise<FacebookSdk>((resolve, reject) => {
    window.fbAsyncInit = () => {
      const sdk = window.FB;
      if (!sdk) return reject(new Error('Meta\'s SDK loaded without FB'));
      sdk.init({ appId, version, autoLogAppEvents: true, xfbml: false });
      resolve(sdk);
    };
    const script = document.createElement('script');
    script.src = FACEBOOK_SDK_URL;
    script.async = true;
    script.crossOrigin = 'anonymous';
    script.onerror = () => reject(new Error('Meta\'s Facebook SDK could not be loaded. An ad or tracker blocker may be stopping connect.facebook.net; allow it for this site and try again.'));
    document.head.append(script);
  }).catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}
