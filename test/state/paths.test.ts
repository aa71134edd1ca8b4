import { homedir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { compileCacheDirectory, configFilePath, configSectionName, credentialsFilePath, homeDirectory, stateDirectory } from '../../src/state/paths.js';

describe('state/paths', function () {
  it('takes the home folder from HOME, and from the system when HOME is unset or empty', function () {
    expect(homeDirectory({ HOME: '/home/someone' })).to.equal('/home/someone');
    expect(homeDirectory({})).to.equal(homedir());
    expect(homeDirectory({ HOME: '' })).to.equal(homedir());
  });

  it('puts the AWS files where the AWS CLI looks: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE first, else ~/.aws', function () {
    expect(configFilePath({ HOME: '/h' })).to.equal(join('/h', '.aws', 'config'));
    expect(credentialsFilePath({ HOME: '/h' })).to.equal(join('/h', '.aws', 'credentials'));
    expect(configFilePath({ HOME: '/h', AWS_CONFIG_FILE: '/etc/aws-config' })).to.equal('/etc/aws-config');
    expect(credentialsFilePath({ HOME: '/h', AWS_SHARED_CREDENTIALS_FILE: '/etc/aws-credentials' })).to.equal('/etc/aws-credentials');
  });

  it('keeps awsl\'s own state in ~/.aws/awsl, or AWSL_STATE_DIR', function () {
    expect(stateDirectory({ HOME: '/h' })).to.equal(join('/h', '.aws', 'awsl'));
    expect(stateDirectory({ HOME: '/h', AWSL_STATE_DIR: '/s' })).to.equal('/s');
  });

  it('keeps the code cache under XDG_CACHE_HOME, else ~/.cache', function () {
    expect(compileCacheDirectory({ HOME: '/h' })).to.equal(join('/h', '.cache', 'awsl', 'compile-cache'));
    expect(compileCacheDirectory({ HOME: '/h', XDG_CACHE_HOME: '/c' })).to.equal(join('/c', 'awsl', 'compile-cache'));
  });

  it('names the config section as the AWS CLI does: "default", else "profile NAME"', function () {
    expect(configSectionName('default')).to.equal('default');
    expect(configSectionName('prod')).to.equal('profile prod');
  });
});
