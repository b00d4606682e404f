// eslint-disable-next-line import/no-anonymous-default-export -- a config file: the tool reads its default export
export default { plugins: { '@tailwindcss/postcss': {} } };
