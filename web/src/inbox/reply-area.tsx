import { forwardRef, useState } from 'react';
import { Button } from '../ui/button';
import { ReplyBox } from './reply-box';
import { TemplatePicker } from './template-picker';
import { useNow, WindowBanner, windowOpen } from './window-banner';

/**
 * The reply box under the window banner: free-form text while the customer service window is
 * open (a template on request), only templates once it is closed.
 */
export const ReplyArea = forwardRef<HTMLTextAreaElement, { workspaceId: string; threadId: string; windowExpiresAt: string | null }>(
  function ReplyArea({ workspaceId, threadId, windowExpiresAt }, ref) {
    const now = useNow();
    const open = windowOpen(windowExpiresAt, now);
    const [templates, setTemplates] = useState(false);
    return (
      <div>
        <WindowBanner expiresAt={windowExpiresAt} now={now} />
        {!open || templates ? (
          <TemplatePicker workspaceId={workspaceId} threadId={threadId} {...(open ? { onCancel: () => setTemplates(false) } : {})} />
        ) : (
          <>
            <ReplyBox ref={ref} workspaceId={workspaceId} threadId={threadId} />
            <div className="flex justify-end bg-white px-2 pb-2">
              <Button size="sm" variant="ghost" onClick={() => setTemplates(true)}>Use a template</Button>
            </div>
          </>
        )}
      </div>
    );
  },
);
