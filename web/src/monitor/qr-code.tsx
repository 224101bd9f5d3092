import { useMemo } from 'react';
import { encodeQr } from './qr-encode';

/** WhatsApp's linking QR, drawn as SVG (one path; 4 modules of quiet zone). */
export function QrCode({ text, label }: { text: string; label: string }) {
  const { size, path } = useMemo(() => {
    const modules = encodeQr(text);
    const parts: string[] = [];
    modules.forEach((row, y) => row.forEach((dark, x) => {
      if (dark) parts.push(`M${x + 4} ${y + 4}h1v1h-1z`);
    }));
    return { size: modules.length + 8, path: parts.join('') };
  }, [text]);
  return (
    <svg role="img" aria-label={label} viewBox={`0 0 ${size} ${size}`} className="aspect-square w-full max-w-72 bg-white" shapeRendering="crispEdges" data-qr={text}>
      <path d={path} className="fill-slate-950" />
    </svg>
  );
}
