import { useEffect, useRef, type HTMLAttributes, type ReactNode } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";

/** Above this many rows a list renders only what is on screen. */
export const VIRTUALISE_ABOVE = 150;

type Props<T> = {
  items: T[];
  keyOf: (item: T) => string;
  /** A typical row's height in pixels, until rows are measured. */
  rowHeight: number;
  /** The scroller's size until it is measured, so the first paint has rows. */
  initialRect: { width: number; height: number };
  overscan: number;
  row: (item: T) => ReactNode;
  /** The key of a row to scroll into view (centred), when it changes. */
  scrollToKey?: string | null;
} & Omit<HTMLAttributes<HTMLDivElement>, "children">;

/** A scrolling list that renders only the rows on screen (and a few either side), so 10,000 rows stay smooth. */
export function VirtualRows<T>({ items, keyOf, rowHeight, initialRect, overscan, row, scrollToKey = null, ...scroller }: Props<T>) {
  const element = useRef<HTMLDivElement>(null);
  const rows = useVirtualizer({
    count: items.length,
    getScrollElement: () => element.current,
    estimateSize: () => rowHeight,
    initialRect,
    overscan,
    getItemKey: (i) => keyOf(items[i]),
  });
  const index = scrollToKey === null ? -1 : items.findIndex((item) => keyOf(item) === scrollToKey);
  useEffect(() => {
    if (index >= 0) rows.scrollToIndex(index, { align: "center" });
  }, [index, rows]);
  return (
    <div {...scroller} ref={element}>
      <div style={{ height: rows.getTotalSize(), position: "relative" }}>
        {rows.getVirtualItems().map((item) => (
          <div
            key={item.key}
            data-index={item.index}
            ref={rows.measureElement}
            style={{ position: "absolute", top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
          >
            {row(items[item.index])}
          </div>
        ))}
      </div>
    </div>
  );
}
