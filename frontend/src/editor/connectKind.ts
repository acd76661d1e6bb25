/** The transition kinds a connection drawn on the canvas can make. */
export type ConnectKind = "start" | "next" | "default" | "choice" | "catch";
