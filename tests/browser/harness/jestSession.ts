import { openSession, type Session, type SessionOptions } from "./browser";

/**
 * One browser session for a test file, opened before its tests and closed after them; after every
 * test, no console error or warning, no page error and no request off the loopback server may have
 * happened. Returns the open session (a function: the session exists only once beforeAll ran).
 */
export function useBrowserSession(options: SessionOptions = {}): () => Session {
    let session: Session | undefined;
    beforeAll(async () => {
        session = await openSession(options);
    }, 30_000);
    afterAll(async () => {
        await session?.close();
    });
    afterEach(() => {
        const problems = session ? session.problems.splice(0) : [];
        expect(problems).toEqual([]);
    });
    return () => {
        if (!session) throw new Error("The browser session is not open: use it inside a test or a hook.");
        return session;
    };
}
