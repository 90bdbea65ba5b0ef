import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { QueryClientProvider } from "@tanstack/react-query";
import { HashRouter } from "react-router";
import "@fontsource-variable/inter";
import "./shared/base.css";
import { makeQueryClient } from "./ipc";
import { App } from "./app/App";
import { applyTheme } from "./shared/theme";

// The system's colours from the first paint; the settings' theme follows once read.
applyTheme("system");

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={makeQueryClient()}>
        {/* A hash router: the window's URL is the bundle's own, so the route lives after `#`. */}
        <HashRouter>
          <App />
        </HashRouter>
      </QueryClientProvider>
    </StrictMode>,
  );
}
