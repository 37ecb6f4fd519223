// The part of the `ejson` package the Companion host stand-in uses (the package ships no types).
declare module "ejson" {
  const EJSON: {
    stringify(value: unknown): string;
    parse(text: string): any;
  };
  export default EJSON;
}
