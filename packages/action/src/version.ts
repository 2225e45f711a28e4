/** The action's version, as SARIF and the User-Agent report it; a test keeps it equal to package.json's. */
export const ACTION_VERSION = '0.1.0';
