/**
 * The menu of a phone (below 768 px), in a drawer from the left. Its own chunk, loaded at the first
 * tap on the menu button: the drawer is closed on every first page (issue 15 §6).
 */
import { Drawer } from 'antd';
import type { ReactNode } from 'react';

export function MenuDrawer({ open, onClose, title, children }: { open: boolean; onClose: () => void; title: ReactNode; children: ReactNode }) {
  return (
    <Drawer placement="left" width={256} open={open} onClose={onClose} title={title} styles={{ body: { padding: 0 } }}>
      {children}
    </Drawer>
  );
}
