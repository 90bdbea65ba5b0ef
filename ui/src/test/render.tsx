import type { ReactElement, ReactNode } from "react";
import { render as renderInDom, type RenderOptions } from "@testing-library/react";
import { QueryClientProvider } from "@tanstack/react-query";
import { MemoryRouter } from "react-router";
import { makeQueryClient } from "../ipc";

/**
 * Renders `ui` as the app runs it: under a query client of its own (nothing cached from another
 * test; no retries, as in the app) and a router at `route` ("/" unless told).
 */
export function render(ui: ReactElement, { route = "/", ...options }: RenderOptions & { route?: string } = {}) {
  const client = makeQueryClient();
  function Providers({ children }: { children: ReactNode }) {
    return (
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[route]}>{children}</MemoryRouter>
      </QueryClientProvider>
    );
  }
  return renderInDom(ui, { wrapper: Providers, ...options });
}
