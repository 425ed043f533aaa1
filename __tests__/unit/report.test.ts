import { describe, expect, test } from '@jest/globals'
import { Progress } from '../../src/flow/progress.js'
import { outputsOf, summaryText } from '../../src/report/report.js'
import { settingsFor } from '../support/settings.ts'

describe('the job summary', () => {
  test('a service value with blank lines stays in its cell: no line break, no Markdown', () => {
    const text = summaryText(
      {
        result: 'Failed',
        failure:
          'Cognito said:\n\n![tracker](https://example.com/x.png)\r\n\n[click](https://example.com)'
      },
      { settings: settingsFor() }
    )
    expect(text).not.toMatch(/\n\s*\n/)
    expect(text).toContain('Cognito said:<br><br>![tracker](https://example.com/x.png)<br><br>')
    expect(text).not.toContain('<img')
  })

  test('HTML in a value is escaped', () => {
    const text = summaryText({ result: '<script>x</script> | pipe' }, { settings: settingsFor() })
    expect(text).toContain('&lt;script&gt;x&lt;/script&gt; &#124; pipe')
  })
})

describe('the outputs', () => {
  test('none for a run whose inputs were refused', () => {
    expect(outputsOf(undefined)).toEqual({})
  })

  test('a run that stopped before it found the domain sent nothing', () => {
    expect(outputsOf(new Progress(settingsFor()))).toEqual({
      changed: 'false',
      imported: 'false',
      'retired-certificate-arn': ''
    })
  })

  test('while an update is on its way, whether it changed the domain is unknown', () => {
    const progress = new Progress(settingsFor())
    progress.stage = 'sending'
    expect(outputsOf(progress).changed).toBeUndefined()
  })
})
