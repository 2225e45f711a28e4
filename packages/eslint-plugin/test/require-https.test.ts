import rule from '../src/rules/require-https.js';
import { at, maskedNames, ruleTester, withEspree } from './support.js';

const literal = "const API = 'http://app.statalog.com/api/v1/stats';";
const template = 'const url = `http://app.statalog.com/api/v1/${endpoint}?site_id=${site}`;';
const concat = "const HOST = 'app.statalog.com';\nconst url = 'http://' + HOST + '/api/v1/stats';";
const templateHost = "const HOST = 'statalog.com';\nconst url = `http://${HOST}/api/v1/stats`;";
const selfHosted = "fetch('http://stats.example.com:8080/api/v1/stats?site_id=ST-A1B2C3');";
const twice = "const urls = ['https://app.statalog.com', 'x http://statalog.com y http://app.statalog.com/api'];";

ruleTester.run(
  'require-https',
  rule,
  withEspree(
    maskedNames(
      {
        valid: [
          "const API = 'https://app.statalog.com/api/v1/stats';",
          "const API = 'http://localhost:8000/api/v1/stats';",
          "const API = 'http://127.0.0.1/api/v1/stats';",
          "const API = 'http://[::1]:8000/api/v1/stats';",
          "const other = 'http://example.com/api/v1/stats';",
          "const url = 'http://' + host + '/api/v1/stats';",
          'const url = `http://${host}/api/v1/stats`;',
          "const notStatalog = 'http://statalog.com.evil.example/x';",
          "const scheme = 'git+http://statalog.com/repo.git';",
          "fetch('http://stats.example.com/api/v1/stats');",
          "const API = 'http://app.statalog.com/api/v1/stats'; // statalog:allow",
          {
            code: "fetch('http://localhost:8000/api/v1/stats');",
            settings: { statalog: { selfHostedHosts: ['localhost:8000'] } },
          },
        ],
        invalid: [
          {
            code: literal,
            errors: [
              {
                messageId: 'plainHttp',
                data: { host: 'app.statalog.com' },
                ...at(literal, 'http://'),
                suggestions: [{ messageId: 'useHttps', output: literal.replace('http://', 'https://') }],
              },
            ],
          },
          {
            code: template,
            errors: [
              {
                messageId: 'plainHttp',
                ...at(template, 'http://'),
                suggestions: [{ messageId: 'useHttps', output: template.replace('http://', 'https://') }],
              },
            ],
          },
          {
            code: concat,
            errors: [
              {
                messageId: 'plainHttp',
                data: { host: 'app.statalog.com' },
                ...at(concat, 'http://'),
                suggestions: [{ messageId: 'useHttps', output: concat.replace('http://', 'https://') }],
              },
            ],
          },
          {
            code: templateHost,
            errors: [
              {
                messageId: 'plainHttp',
                data: { host: 'statalog.com' },
                suggestions: [{ messageId: 'useHttps', output: templateHost.replace('http://', 'https://') }],
              },
            ],
          },
          {
            code: selfHosted,
            settings: { statalog: { selfHostedHosts: ['stats.example.com:8080'] } },
            errors: [
              {
                messageId: 'plainHttp',
                data: { host: 'stats.example.com:8080' },
                ...at(selfHosted, 'http://'),
                suggestions: [{ messageId: 'useHttps', output: selfHosted.replace('http://', 'https://') }],
              },
            ],
          },
          {
            code: selfHosted,
            options: [{ selfHostedHosts: ['stats.example.com'] }],
            errors: [
              {
                messageId: 'plainHttp',
                suggestions: [{ messageId: 'useHttps', output: selfHosted.replace('http://', 'https://') }],
              },
            ],
          },
          {
            code: twice,
            errors: [
              {
                messageId: 'plainHttp',
                data: { host: 'statalog.com' },
                ...at(twice, 'http://'),
                suggestions: [{ messageId: 'useHttps', output: twice.replace('x http://', 'x https://') }],
              },
              {
                messageId: 'plainHttp',
                data: { host: 'app.statalog.com' },
                ...at(twice, 'http://', 1),
                suggestions: [{ messageId: 'useHttps', output: twice.replace('y http://', 'y https://') }],
              },
            ],
          },
        ],
      },
      [],
    ),
  ),
);
