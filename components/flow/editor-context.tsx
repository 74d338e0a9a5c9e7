'use client';

import { createContext, useContext, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { Pipeline } from '@/lib/client/types';
import { createEditorStore, type EditorState, type EditorStore } from './editor-store';

const EditorStoreContext = createContext<EditorStore | null>(null);

/** Creates the editor store once per mount (xyflow's createAppStore pattern). */
export function EditorProvider({ pipeline, children }: { pipeline: Pipeline; children: ReactNode }) {
  const [store] = useState(() => createEditorStore(pipeline));
  return <EditorStoreContext.Provider value={store}>{children}</EditorStoreContext.Provider>;
}

export function useEditorStoreApi(): EditorStore {
  const store = useContext(EditorStoreContext);
  if (!store) throw new Error('useEditor must be used inside <EditorProvider>');
  return store;
}

/**
 * Selects from the editor store. Selectors that build objects must be wrapped
 * in zustand's useShallow so equal figures do not re-render.
 */
export function useEditor<T>(selector: (state: EditorState) => T): T {
  return useStore(useEditorStoreApi(), selector);
}
