/** The non-streamed answer server.mjs sends. */
export declare const completion: Buffer;
/** The streamed answer server.mjs sends, a Buffer per SSE frame (50 frames). */
export declare const streamFrames: readonly Buffer[];
