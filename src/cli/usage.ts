/** The text of `baseten-bridge --help`. */
import { DEFAULT_STORAGE_PATH } from '../upstream/index.js';
import { DEFAULT_LISTEN_ADDRESS } from './flags.js';

export const USAGE = `usage: baseten-bridge [<command>] [<flags>]

Fetches Baseten's organization /metrics once per interval, relabels it and serves it to any number of scrapers.

Commands:
  (none)         run the bridge: fetch on a schedule and serve the result
  check-config   validate the config file and the key source; print a summary or every error
  once           one fetch -> relabel -> the exposition on stdout; non-zero exit on failure
  relabel-test   read series (text format) on stdin, print them relabeled by the config's rules
  rules          print multi-window, multi-burn-rate SLO alerting rules for the objectives in --slo=FILE,
                 or one of the shipped alert files (--alerts=models|bridge) with your parameters
  demo           run against a built-in simulated Baseten endpoint, with a generated key

Flags:
  --config.file=PATH             YAML config file (default: built-in defaults plus environment)
  --web.listen-address=ADDR      address to serve on (default: ${DEFAULT_LISTEN_ADDRESS})
  --web.telemetry-path=PATH      path of the metrics endpoint (default: /metrics)
  --web.config.file=PATH         TLS and basic auth for the endpoint (Prometheus exporter-toolkit format)
  --web.enable-lifecycle         allow POST/PUT /-/reload (off by default; SIGHUP always reloads)
  --storage.path=DIR             where the rate budget's request times survive restarts
                                 (default: ${DEFAULT_STORAGE_PATH}; an empty value keeps them in memory only)
  --log.level=LEVEL              debug, info, warn or error (default: info)
  --log.format=FORMAT            logfmt or json (default: logfmt)
  --memory.limit=SIZE            the memory limit to export as baseten_bridge_memory_limit_bytes (e.g. 512MiB)
                                 instead of the cgroup's, read at start (default: the cgroup's, if any)
  --trace                        relabel-test: print every rule's effect on stderr
  --probe                        check-config: also send one request to Baseten to check the key
  --probe                        rules: also read the histograms' bucket boundaries from Baseten (one request)
  --slo=FILE                     rules: the SLO objectives (see deploy/slo/slos.yml)
  --alerts=SET                   rules: print the shipped alerts instead: models (baseten-alerts.yml) or
                                 bridge (bridge-alerts.yml)
  --runbook.base-url=URL         rules: the page whose ### <AlertName> headings are the runbooks; each alert's
                                 runbook_url is URL#<alertname> (default: docs/DASHBOARDS.md on GitHub)
  --gpu.memory-mib=MIB           rules --alerts=models: the GPUs' memory (default: 81920, an 80 GB card);
                                 Baseten exports the memory used, not the total
  --gpu.memory-full-ratio=R      rules --alerts=models: the share of it that is near full (default: 0.95)
  --engine.ttft-p99=DURATION     rules --alerts=models: the vLLM and SGLang engines' p99 time to first token
                                 above which BasetenEngineTimeToFirstTokenHigh fires (default: 2.5s)
  --bridge.selector=MATCHERS     rules --alerts=bridge: the label matchers of the bridge's scrape job
                                 (default: job="baseten"); give yours when the job has another name
  --shard=i/n                    run only the targets whose name hashes to i of n (i may be a StatefulSet pod
                                 name such as baseten-bridge-2); wins over shard: in the config
  --target=NAME                  relabel-test, rules --probe, demo: the target whose rules or key to use
                                 when the config has several
  -h, --help                     show this help
  --version                      show the version

The API key is never a flag. First found wins: upstream.api_key_file in the config,
BASETEN_API_KEY_FILE, BASETEN_API_KEY, then api_key under [baseten] in ~/.trussrc.
`;
