// Types of tools/build/pack.mjs, for the e2e specs that import it.
export declare const ROOT: string;
export declare const PACKAGE_CACHE: string;
export declare function inputsHash(): string;
export declare function packedTarball(): string;
