export interface SseFrame {
  event: string;
  data: string;
}

/**
 * Splits a Server-Sent Events byte stream into frames (`event:` + `data:` blocks ended by a blank
 * line); comments (`: ping`) are dropped. Feed it decoded text as it arrives.
 */
export function sseParser(onFrame: (frame: SseFrame) => void): (chunk: string) => void {
  let buffer = '';
  return (chunk) => {
    buffer += chunk.replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length > 0) onFrame({ event, data: data.join('\n') });
    }
  };
}
